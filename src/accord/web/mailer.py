"""Mail for invitation and password-reset links, through the SMTP server in the settings."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from accord.errors import AccordError
from accord.web.settings import SmtpSettings

TIMEOUT = 10.0


class MailError(AccordError):
    """The mail server refused or could not be reached."""

    http_status = 502
    kind = "mail_error"


def send(smtp: SmtpSettings, to: str, subject: str, body: str) -> None:
    """Send a plain-text message to ``to``; a failure is a :class:`MailError` naming why."""
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        if smtp.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT)
        with client:
            if smtp.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp.username:
                client.login(smtp.username, smtp.password)
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(
            f"the mail to {to} could not be sent through {smtp.host}:{smtp.port}: {error}"
        ) from None


def invitation_text(link: str, inviter: str | None, hours: int) -> tuple[str, str]:
    """The subject and body of an invitation mail."""
    who = f"{inviter} invited you" if inviter else "You are invited"
    return (
        "Your accord facilitator account",
        f"{who} to facilitate in accord.\n\nChoose your password here (the link works once, "
        f"for {hours} hours):\n\n{link}\n\nIf you did not expect this, ignore this mail.\n",
    )


def reset_text(link: str, minutes: int) -> tuple[str, str]:
    """The subject and body of a password-reset mail."""
    return (
        "Reset your accord password",
        "Someone (we hope you) asked to reset the password of your accord account.\n\n"
        f"Choose a new password here (the link works once, for {minutes} minutes):\n\n{link}\n\n"
        "If it was not you, ignore this mail: your password stays as it is.\n",
    )
