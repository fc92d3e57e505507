"""Domain events: how a lower app tells the apps above it that something happened.

This is the one registry. The services of the lower apps (topics, comments, moderation,
accounts, analytics) send these; the apps above them (the public record, reports,
notifications, the API) connect receivers in their ``AppConfig.ready()``. The arrows keep
pointing one way: a lower app never imports a higher one.

Every signal is sent **inside the transaction of the write it describes**, after the write:

- a receiver that writes to the database (an entry of the public record, say) writes in the
  same transaction, so a rolled-back write leaves nothing behind, and the receiver's failure
  rolls the write back;
- a receiver with an effect outside the database (a notice, an e-mail, a task) must defer it
  with ``transaction.on_commit``, so nothing is sent for a write that did not happen.

Receivers must be quick and must not call the service that sent the signal.
Keyword arguments are listed with each signal; ``sender`` is the model class concerned.
"""

from __future__ import annotations

from django.dispatch import Signal

# --- comments ---------------------------------------------------------------------------
#: A comment or a reply was saved (any channel: web, import, offline; any status).
#: ``comment``; ``comment.parent_id`` is set for a reply.
comment_created = Signal()

#: The author changed a comment's text. ``comment`` (new text), ``previous_body``.
comment_edited = Signal()

#: A comment's moderation status changed. ``comment`` (new status and reason code),
#: ``previous_status``.
comment_status_changed = Signal()

#: A vote was cast or changed. ``vote``, ``comment``, ``previous_value`` (``None`` when new).
vote_cast = Signal()

#: Comments and votes were bulk-imported from a Polis export (they send no per-row signal).
#: ``consultation``.
conversation_imported = Signal()

#: A person's comments lost their author (account deleted). ``user_id``,
#: ``comment_ids`` (all of them), ``erased_ids`` (those whose text was erased).
comments_detached = Signal()

# --- topics ------------------------------------------------------------------------------
#: A position on the whole draft was taken or changed. ``position``, ``previous_value``.
position_set = Signal()

#: ``consultation``, ``actor``; ``when`` (publication time; later than now when scheduled).
consultation_published = Signal()

#: ``consultation``, ``actor``, ``previous_closes_at``, ``reason``.
consultation_extended = Signal()

#: Closed early by its agency. ``consultation``, ``actor``, ``reason``. (A consultation whose
#: closing time simply passes sends nothing; periodic tasks look for those.)
consultation_closed = Signal()

# --- moderation ----------------------------------------------------------------------------
#: A moderator decided on a comment. ``comment``, ``entry`` (the moderation log entry),
#: ``moderator``, ``appeal`` (the appeal decided, or ``None``).
moderation_decided = Signal()

#: Unmasked originals were purged after their retention. ``comment_ids``.
originals_purged = Signal()

# --- reports --------------------------------------------------------------------------------
#: A hearing report was published. ``report``, ``consultation``, ``actor``.
report_published = Signal()
