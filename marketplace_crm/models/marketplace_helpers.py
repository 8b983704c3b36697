"""Small helpers every marketplace model uses the same way."""

MAIL_LAYOUT = "mail.mail_notification_light"


def active_template(env, xmlid):
    """The e-mail template ``xmlid``, or None when an admin deleted or
    archived it: the automation then sends nothing."""
    template = env.ref(xmlid, raise_if_not_found=False)
    return template if template and template.active else None


def post_template(template, records, chatter=True):
    """Queue the e-mail of ``template`` about each of ``records``, in each
    recipient's language (as the template says); never sent inside the
    request or the job that triggers it (``force_send=False``: the mail queue
    sends it).

    On records with a chatter the e-mail is posted there, as core's rating
    requests are: a note in the record's history, e-mailed to the template's
    recipients only (not to the followers), even when the recipient is the
    user whose action triggered it. Records without a chatter, and mass
    e-mails of the scheduled jobs (``chatter=False``: their lifecycle event
    is their history, and a chatter post costs them eight times the time),
    get plain queued e-mails, rendered and created a chunk at a time
    (``send_mail_batch``: one template rendering pass and one ``create`` per
    ``mail.batch_size`` records)."""
    if chatter and hasattr(records, "message_post_with_source"):
        records.message_post_with_source(
            template,
            email_layout_xmlid=MAIL_LAYOUT,
            subtype_xmlid="mail.mt_note",
            force_send=False,
            notify_author_mention=True,
        )
        return
    if records:
        template.send_mail_batch(records.ids, email_layout_xmlid=MAIL_LAYOUT)


def send_template(env, xmlid, records, chatter=True):
    """Queue the e-mail of template ``xmlid`` about each of ``records`` (see
    ``post_template``), with the rights of ``env``. Returns whether the
    template is active."""
    template = active_template(env, xmlid)
    if template:
        post_template(template, records.with_env(env), chatter=chatter)
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


def fill_partner_company(env, vals_list, partner_field="seller_id"):
    """Give each new record of ``vals_list`` that names no company the figures
    company of its seller or buyer (``res.partner.marketplace_company_id``:
    the partner's company, or the main company for one shared by all)."""
    Partner = env["res.partner"]
    for vals in vals_list:
        if not vals.get("company_id") and vals.get(partner_field):
            partner = Partner.browse(vals[partner_field])
            # sudo: only the partner's company is read, whoever creates.
            vals["company_id"] = partner.sudo().marketplace_company_id.id
