"""What a message says: plain text (B1 Dutch or English) and a simple accessible HTML part with
the same content. The personal link is a placeholder here; the sender fills it in."""
from __future__ import annotations

import html as html_lib
from dataclasses import dataclass, field
from datetime import datetime

from ..i18n import translate
from ..timeutil import to_local
from .links import CODE_PLACEHOLDER, COACH_PLACEHOLDER, PLACEHOLDER


@dataclass
class Facts:
    """Everything a message about one event tells one person."""
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    accessibility: str = ""
    description: str = ""
    # Speedmeet: (round, time, table, the other party) rows.
    schedule: list[tuple[str, str, str, str]] = field(default_factory=list)
    jobseeker: bool = True


def long_date(dt: datetime, lang: str) -> str:
    local = to_local(dt)
    weekday = translate("date.weekdays", lang).split(",")[local.weekday()]
    month = translate("date.months", lang).split(",")[local.month - 1]
    return f"{weekday} {local.day} {month} {local.year}"


def compose(kind: str, lang: str, name: str, facts: Facts, *, with_link: bool, sender: str,
            copy_of: str | None = None, with_code: bool = False, attachment: bool = True) -> tuple[str, str, str]:
    """(subject, text, html) of a message of `kind` about `facts` to `name` (or, with `copy_of`, to
    the jobcoach of that person). `with_code`: the personal code (filled in by the sender) stands
    with the facts; `attachment`: a calendar file comes with the message."""
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    if copy_of:
        # The person's link and code are theirs alone: with them a coach could read the person's
        # support needs, change their address or cancel, whatever their caseload says.
        with_link = with_code = False
    start, end = to_local(facts.starts_at), to_local(facts.ends_at)
    lines: list[tuple[str, str]] = [(t("mail.what"), facts.title),
                                    (t("mail.when"), f"{long_date(start, lang)}, {start:%H:%M} - {end:%H:%M}")]
    if facts.place:
        lines.append((t("mail.where"), facts.place))
    if facts.accessibility:
        lines.append((t("mail.accessibility"), facts.accessibility))
    if facts.description:
        lines.append((t("mail.about"), facts.description))
    cancelled = kind in ("cancelled", "event_cancelled")
    if with_code:
        lines.append((t("mail.code"), CODE_PLACEHOLDER))
    if facts.jobseeker and not cancelled:
        lines.append((t("mail.bring_label"), t("mail.bring")))
    subject = t(f"mail.subject.{kind}", event=facts.title)
    lead = t(f"mail.lead.{kind}", event=facts.title)
    if copy_of:
        lead = f"{t('mail.coach_copy', name=copy_of)} {lead}"
    heads = [t("mail.col.round"), t("mail.col.time"), t("mail.col.table"),
             t("mail.col.employer" if facts.jobseeker else "mail.col.jobseeker")]
    after = []
    if with_link and not cancelled:
        after.append((t("mail.link"), PLACEHOLDER))
    if copy_of:
        after.append((t("mail.coach_login"), COACH_PLACEHOLDER))
    if kind == "reminder" and not copy_of:
        after.append(("", t("mail.reminders_off")))
    if attachment and not cancelled and kind != "event_cancelled":
        after.append(("", t("mail.ics_note")))

    text = [t("mail.greeting", name=name), "", lead, ""]
    text += [f"{label}: {value}" for label, value in lines]
    if facts.schedule:
        text += ["", t("mail.schedule"), ""] + [f"{r[0]}. {r[1]} - {heads[2]} {r[2]} - {r[3]}" for r in facts.schedule]
    for label, value in after:
        text += ["", f"{label}:\n{value}" if label else value]
    text += ["", t("mail.closing"), sender]

    e = html_lib.escape
    parts = [f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8"><title>{e(subject)}</title></head>'
             '<body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">',
             f"<p>{e(t('mail.greeting', name=name))}</p>", f"<p>{e(lead)}</p>", "<table role=\"presentation\">"]
    parts += [f'<tr><th scope="row" style="text-align:left;vertical-align:top;padding-right:1em">{e(label)}</th>'
              f"<td>{e(value)}</td></tr>" for label, value in lines]
    parts.append("</table>")
    if facts.schedule:
        parts.append(f"<h2 style=\"font-size:18px\">{e(t('mail.schedule'))}</h2><table><thead><tr>"
                     + "".join(f'<th scope="col" style="text-align:left;padding-right:1em">{e(h)}</th>' for h in heads)
                     + "</tr></thead><tbody>"
                     + "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>" for row in facts.schedule)
                     + "</tbody></table>")
    for label, value in after:
        if value in (PLACEHOLDER, COACH_PLACEHOLDER):
            text_key = "mail.link_text" if value == PLACEHOLDER else "nav.coach"
            parts.append(f'<p>{e(label)}:<br><a href="{value}">{e(t(text_key))}</a></p>')
        else:
            parts.append(f"<p>{e(value)}</p>")
    parts.append(f"<p>{e(t('mail.closing'))}<br>{e(sender)}</p></body></html>")
    return subject, "\n".join(text) + "\n", "".join(parts)


def compose_survey(kind: str, lang: str, name: str, title: str, starts_at: datetime, *, sender: str,
                   about: str | None = None, employer: bool = False) -> tuple[str, str, str]:
    """(subject, text, html) of a follow-up survey ('survey') or its reminder ('survey_reminder'):
    a short question with the survey's personal link. A jobcoach is asked about their client
    (`about`); an employer about the people they met."""
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    when = long_date(starts_at, lang)
    subject = t(f"mail.subject.{kind}", event=title)
    who = "employer" if employer else ("coach" if about else "jobseeker")
    lead = t(f"mail.lead.survey_{who}", event=title, date=when, name=about or "")
    if kind == "survey_reminder":
        lead = f"{t('mail.lead.survey_reminder')} {lead}"
    return _with_link(lang, subject, name, [lead, t("mail.survey_time"), t("mail.survey_private")],
                      t("mail.survey_link"), t("mail.survey_stop"), sender)


def compose_invitation(lang: str, name: str, invited_by: str, days: int, *, sender: str) -> tuple[str, str, str]:
    """(subject, text, html) of the invitation to a coach account, with the link to choose a password."""
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    return _with_link(lang, t("mail.subject.invitation"), name,
                      [t("mail.lead.invitation", by=invited_by), t("mail.invitation_what")],
                      t("mail.invitation_link"), t("mail.invitation_valid", days=days), sender)


def _with_link(lang: str, subject: str, name: str, lines: list[str], link_label: str, after: str,
               sender: str) -> tuple[str, str, str]:
    """A short message: a few lines, one personal link (filled in by the sender), a closing line."""
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    text = [t("mail.greeting", name=name), ""] + [line for part in lines for line in (part, "")]
    text += [f"{link_label}:\n{PLACEHOLDER}", "", after, "", t("mail.closing"), sender]
    e = html_lib.escape
    html = (f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8"><title>{e(subject)}</title></head>'
            '<body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">'
            f"<p>{e(t('mail.greeting', name=name))}</p>" + "".join(f"<p>{e(line)}</p>" for line in lines)
            + f'<p><a href="{PLACEHOLDER}">{e(link_label)}</a></p>'
            f"<p>{e(after)}</p><p>{e(t('mail.closing'))}<br>{e(sender)}</p></body></html>")
    return subject, "\n".join(text) + "\n", html
