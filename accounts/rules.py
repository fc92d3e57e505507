"""Predicates about the person (assurance, consent, staff, MFA). Used by topics/comments rules
and by the account pages."""

from __future__ import annotations

import rules

from accounts import selectors


@rules.predicate
def meets_assurance(user, consultation) -> bool:
    if consultation is None:
        return False
    return selectors.assurance_level(user) >= consultation.min_assurance


@rules.predicate
def has_consented(user) -> bool:
    return selectors.has_consented(user)


@rules.predicate
def is_staff_member(user) -> bool:
    return selectors.is_staff_member(user)


@rules.predicate
def has_mfa(user) -> bool:
    """This session completed the second factor (see ``selectors.second_factor_done``)."""
    return selectors.second_factor_done(user)


# Staff pages need a session that passed the second factor; the middleware sends staff without
# one to set it up, and staff whose session signed in another way to the second-factor step.
staff_with_mfa = is_staff_member & has_mfa

rules.add_perm("accounts.manage_own_account", rules.is_authenticated)
rules.add_perm("accounts.give_opinions", has_consented)
rules.add_perm("accounts.view_audit_log", rules.is_superuser & has_mfa)
