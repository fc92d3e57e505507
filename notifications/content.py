"""What a notice says, in its reader's language (rendered when shown or sent)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from notifications.models import Kind, Notice


def headline(notice: Notice, lang: str | None = None) -> str:
    """One line, plain text (escaped by the template that shows it)."""
    with translation.override(lang or translation.get_language()):
        title = notice.data.get("title", "")
        kind = notice.kind
        if kind == Kind.NEW_CONSULTATION:
            return _("New consultation: %(title)s") % {"title": title}
        if kind == Kind.CLOSING_SOON:
            return _("Closing in 3 days: %(title)s") % {"title": title}
        if kind == Kind.CLOSED:
            return _("Closed: %(title)s") % {"title": title}
        if kind == Kind.REPORT:
            return _("Hearing report published: %(title)s") % {"title": title}
        if kind == Kind.REPLY:
            return _("%(name)s replied to your comment on %(title)s") % {
                "name": notice.data.get("name", ""),
                "title": title,
            }
        if kind == Kind.MODERATION:
            if notice.data.get("appeal"):
                return _("Your appeal was decided: %(title)s") % {"title": title}
            return _("A moderator decided on your comment: %(title)s") % {"title": title}
        if kind == Kind.QUEUE_DIGEST:
            count = int(notice.data.get("count", 0))
            return translation.ngettext(
                "%(count)d new item in your moderation queue",
                "%(count)d new items in your moderation queue",
                count,
            ) % {"count": count}
        return title
