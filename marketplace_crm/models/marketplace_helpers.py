"""Small helpers every marketplace model uses the same way."""

MAIL_LAYOUT = "mail.mail_notification_light"


def active_template(env, xmlid):
    """The e-mail template ``xmlid``, or None when an admin deleted or
    archived it: the automation then sends nothing."""
    template = env.ref(xmlid, raise_if_not_found=False)
    return template if template and template.active else None


def send_template(env, xmlid, records):
    """Queue the e-mail of template ``xmlid`` for each of ``records`` (in
    each recipient's language, as the template says). Returns whether the
    template is active."""
    template = active_template(env, xmlid)
    if template:
        for record in records:
            template.send_mail(record.id, email_layout_xmlid=MAIL_LAYOUT)
    return bool(template)


def staff_user(env, *candidates):
    """Who gets a staff activity: the first of ``candidates`` (user records,
    possibly empty) that is an active internal user, else the administrator."""
    for user in candidates:
        user = user[:1]
        if user and user.active and not user.share:
            return user
    return env.ref("base.user_admin")


def window_action(env, xmlid, domain, context=None):
    """The window action ``xmlid`` narrowed to ``domain``."""
    action = env["ir.actions.act_window"]._for_xml_id(xmlid)
    action["domain"] = domain
    action["context"] = context or {}
    return action
