"""Texts that no form or endpoint may store, and the messages they get:
one table for the portal, the website and the API (the rule itself is
``marketplace_input.character_problem``)."""

CONTROL = "contains a control character or an invalid one."
ONE_LINE = "must fit on one line."
# The message goes on "...the text's direction."; the apostrophe is escaped
# in a page.
BIDI = "may not contain invisible characters that change the"

# (label, value, message for a one-line text, message for a multi-line
# text or None when a multi-line text may hold it)
TEXTS = [
    ("NUL", "Hana\x00Glass", CONTROL, CONTROL),
    ("CRLF and a header", "Hana\r\nReply-To: refunds@evil.example", ONE_LINE, None),
    ("CRLF and Bcc", "Hana\r\nBcc: spy@evil.example", ONE_LINE, None),
    ("bare LF", "Hana\nReply-To: refunds@evil.example", ONE_LINE, None),
    ("bare CR", "Hana\rReply-To: refunds@evil.example", ONE_LINE, None),
    (
        "end of the headers",
        "Hana\r\n\r\nYour payout is blocked, call us",
        ONE_LINE,
        None,
    ),
    (
        "encoded word of a CRLF",
        "=?utf-8?q?Hana=0D=0AReply-To:_x@evil.example?=",
        ONE_LINE,
        None,
    ),
    ("encoded word of a NUL", "=?utf-8?q?Hana=00?=", CONTROL, None),
    ("tab", "Hana\tGlass", CONTROL, None),
    ("escape sequence", "Hana\x1b[31mGlass", CONTROL, CONTROL),
    ("DEL", "Hana\x7fGlass", CONTROL, CONTROL),
    ("C1 next line", "Hana\x85Glass", CONTROL, CONTROL),
    ("line separator", "Hana\u2028Glass", ONE_LINE, None),
    ("right-to-left override", "FR76\u202e9810", BIDI, None),
    ("right-to-left isolate", "\u2067Hana", BIDI, None),
    ("left-to-right mark", "Hana\u200e", BIDI, None),
]
# A lone surrogate cannot travel in a form (a browser sends UTF-8), but can
# in JSON ("\ud800").
SURROGATE = ("lone surrogate", "Hana\ud800", CONTROL, CONTROL)

# File names as a client may send them; requests escapes C0 controls in
# names (NUL becomes "%00"), so those are sent raw with ``multipart``. (A
# line break cannot travel in a file name: it ends the part's header.)
FILE_NAMES = [
    ("NUL", "kbis\x00.pdf", CONTROL),
    ("DEL", "kbis\x7f.pdf", CONTROL),
    ("escape", "kbis\x1b.pdf", CONTROL),
    ("right-to-left override", "\u202efdp.exe", BIDI),
    ("isolate", "kbis\u2066.pdf", BIDI),
]


def multipart(fields, file_field, file_name, content, mimetype="application/pdf"):
    """A multipart/form-data body whose file name goes as its raw bytes, as
    a hand-written client sends it: (body, headers) for ``url_open``."""
    boundary = "marketplace-test-boundary-7f3a"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
        f"\r\n\r\n{value}\r\n".encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{file_name}"\r\nContent-Type: {mimetype}\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    return b"".join(parts), headers
