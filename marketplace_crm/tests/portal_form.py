"""Helpers for tests posting the portal ticket form as a browser does."""

import re

INPUT = re.compile(r'<input[^>]*name="(csrf_token|form_token)"[^>]*value="([^"]*)"')


def form_tokens(case):
    """The CSRF token and the form token of a freshly opened ticket form."""
    page = case.url_open("/new/ticket")
    case.assertEqual(page.status_code, 200)
    tokens = dict(INPUT.findall(page.text))
    case.assertEqual(set(tokens), {"csrf_token", "form_token"}, "Both tokens shown")
    return tokens


def portal_user(env, login, partner=None, **vals):
    """A portal user whose password is its login."""
    values = {
        "name": login.replace("_", " ").title(),
        "login": login,
        "password": login,
        "email": f"{login}@example.com",
        "group_ids": [(6, 0, env.ref("base.group_portal").ids)],
        **vals,
    }
    if partner:
        values["partner_id"] = partner.id
    return env["res.users"].with_context(no_reset_password=True).create(values)
