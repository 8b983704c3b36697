"""Group checks of the public methods that do work.

Any public method of a model can be called over RPC by any logged-in user,
whatever the buttons a view shows: the ORM checks access rights on the
records it reads and writes, not on the method. Methods that change state
or run heavy queries with elevated rights call these helpers first.

Decisions on sellers (verification, documents, suspension, exemptions from
the quality rules, appeals) belong to the *Seller verification* role, not to
every marketplace user: their methods call ``check_group(env, VERIFIER)``
and the fields that hold a decision are written only by that role
(``check_decision_fields``), whatever the path (form, import, RPC).
"""

from odoo.exceptions import AccessError

MARKETPLACE_USER = "marketplace_crm.group_marketplace_user"
MARKETPLACE_MANAGER = "marketplace_crm.group_marketplace_manager"
VERIFIER = "marketplace_crm.group_marketplace_verifier"


def _group_name(env, group):
    # sudo: the group's name for the message, whoever is refused.
    return env.ref(group).sudo().full_name


def check_group(env, group=MARKETPLACE_USER):
    """Raise an AccessError unless the environment is superuser or its user
    belongs to ``group`` (an xmlid)."""
    if env.su or env.user.has_group(group):
        return
    if group == VERIFIER:
        raise AccessError(
            env._(
                "Only the seller verification team can take this decision "
                "(required group: %(group)s).",
                group=_group_name(env, group),
            )
        )
    raise AccessError(
        env._(
            "Only the marketplace team can do this (required group: %(group)s).",
            group=_group_name(env, group),
        )
    )


def is_verifier(env):
    """Whether the environment may take the decisions on sellers."""
    return env.su or env.user.has_group(VERIFIER)


def decided_fields(vals_list, fnames, undecided):
    """The decision fields among ``fnames`` that ``vals_list`` (of a
    ``create``) sets to a decision: a value, other than those ``undecided``
    lists for its field (``{field: values that decide nothing}``)."""
    return {
        fname
        for vals in vals_list
        for fname, value in vals.items()
        if fname in fnames and value and value not in undecided.get(fname, ())
    }


def check_decision_fields(model, fnames):
    """Refuse to write the decision fields ``fnames`` of ``model`` (a write,
    a create or an import) unless the environment may decide: they change
    only through the decision methods, called by the seller verification
    team, or by the system (superuser)."""
    if not fnames or is_verifier(model.env):
        return
    env = model.env
    labels = sorted(model._fields[fname]._description_string(env) for fname in fnames)
    raise AccessError(
        env._(
            "Only the seller verification team can change %(fields)s "
            "(required group: %(group)s).",
            fields=", ".join(f"“{label}”" for label in labels),
            group=_group_name(env, VERIFIER),
        )
    )
