import streamlit as st

import ui
from eventtool.events import calendars, events
from eventtool.dayof import badges, exports
from eventtool.planning import speedmeet
from eventtool.core.vocab import EventKind

t = ui.t
ui.guard("views/downloads.py")
db = ui.get_db()
st.title(t("downloads.title"))

all_events = [e for e in db.read(events.list_events) if e.status != "draft"]
if not all_events:
    st.info(t("events.none"))
    st.stop()
by_id = {e.id: e for e in all_events}
event_id = st.selectbox(t("events.choose"), list(by_id), index=len(by_id) - 1,
                        format_func=lambda i: ui.event_label(by_id[i]), key="dl_event")
event = by_id[event_id]
lang = ui.lang()

st.header(t("downloads.calendars"))
c1, c2, c3 = st.columns(3)
# Files are built when clicked (a callable), not on every rerun of this page.
ui.download(t("downloads.event_ics"), lambda e=event_id: db.read(calendars.event_ics, e, lang),
            file_name=f"activiteit-{event_id}.ics", mime="text/calendar", key="dl_event_ics", where=c1)
if event.series_id:
    ui.download(t("downloads.series_ics"), lambda s=event.series_id: db.read(calendars.series_ics, s, lang),
                file_name=f"reeks-{event.series_id}.ics", mime="text/calendar", key="dl_series_ics", where=c2)
ui.download(t("downloads.feed_ics"), lambda: db.read(calendars.feed_ics, lang), file_name="eventtool.ics",
            mime="text/calendar", key="dl_feed_ics", where=c3)

employers = {}
if event.kind == EventKind.SPEEDMEET:
    st.header(t("downloads.personal"))
    view = db.read(speedmeet.plan_view, event_id)
    if view.settings.status != "published":
        st.info(t("downloads.no_plan"))
    else:
        people = {("j", r["jobseeker_id"]): r["jobseeker"] for r in view.meetings}
        people |= {("e", r["employer_id"]): r["employer"] for r in view.meetings}
        who = st.selectbox(t("downloads.person"), sorted(people, key=lambda k: (k[0], people[k])),
                           format_func=lambda k: f"{people[k]} ({t('party.jobseeker' if k[0] == 'j' else 'party.employer')})",
                           key="dl_person")
        kwargs = {"jobseeker_id": who[1]} if who[0] == "j" else {"employer_id": who[1]}
        data = ui.run("dl_personal", calendars.personal_ics, event_id, lang=lang, write=False, **kwargs)
        if data:
            ui.download(t("downloads.personal_ics"), lambda data=data: data, file_name=f"rooster-{who[0]}{who[1]}.ics",
                        mime="text/calendar", key="dl_personal_ics",
                        audit_as=("export.personal_calendar", f"{who[0]}{who[1]}"))
        ui.form_error_summary("dl_personal")

st.header(t("downloads.prints"))
# Badges, the paper door list (for when the network fails), letters for people without e-mail and
# table cards: each made when clicked, and its making logged (the badges and lists carry door codes).
prints = [("badges", lambda e=event_id: db.read(badges.badges_pdf, e, lang), "badges", t("downloads.badges"),
           t("downloads.badges_help")),
          ("door_list", lambda e=event_id: db.read(badges.door_list_pdf, e, lang), "deurlijst",
           t("downloads.door_list"), t("downloads.door_list_help")),
          ("table_cards", lambda e=event_id: db.read(badges.table_cards_pdf, e, lang), "tafelkaarten",
           t("downloads.table_cards"), t("downloads.table_cards_help"))]
p1, p2 = st.columns(2)
for i, (name, build, stem, label, help_text) in enumerate(prints):
    where = (p1, p2)[i % 2]
    ui.download(label, build,
                file_name=f"{stem}-{event_id}.pdf", mime="application/pdf", key=f"dl_{name}_{event_id}", where=where,
                audit_as=(f"export.{name}", f"event {event_id}"))
    where.caption(help_text)
no_email = db.read(badges.without_email, event_id)
if no_email:
    ui.download(t("downloads.letters"), lambda e=event_id: db.read(badges.letters_pdf, e),
                file_name=f"brieven-{event_id}.pdf", mime="application/pdf", key=f"dl_letters_{event_id}",
                where=(p1, p2)[len(prints) % 2], audit_as=("export.letters", f"event {event_id}"))
    (p1, p2)[len(prints) % 2].caption(t("downloads.letters_help", n=len(no_email)))

st.header(t("downloads.lists"))
scopes = ["event", "block", "employer"]
scope = st.radio(t("downloads.scope"), scopes, format_func=lambda s: t(f"downloads.scope_{s}"), horizontal=True,
                 key="dl_scope")
kwargs = {}
if scope == "block":
    blocks = {b.id: b.title for b in db.read(events.list_blocks, event_id)}
    if blocks:
        kwargs["block_id"] = st.selectbox(t("downloads.block"), list(blocks), format_func=blocks.get, key="dl_block")
elif scope == "employer":
    from eventtool.registration.registration import event_employers
    orgs = {e.id: e.organisation for e in db.read(event_employers, event_id)}
    if orgs:
        kwargs["employer_id"] = st.selectbox(t("downloads.employer"), list(orgs), format_func=orgs.get, key="dl_org")
    st.caption(t("downloads.employer_note"))
allowed = [c for c in exports.COLUMNS if scope != "employer" or c not in exports.SENSITIVE]
default = [c for c in exports.DEFAULT_COLUMNS if c in allowed]
if event.kind == EventKind.SPEEDMEET and scope == "employer":
    default = ["time", "table", "name", "checked_in"]
columns = st.multiselect(t("downloads.columns"), allowed, default=default, key=f"dl_columns_{scope}",
                         format_func=lambda c: t(f"exports.col.{c}"))
# The CSV that the page language's spreadsheets open right comes first (';' for Dutch Excel).
csv_formats = ["csv;", "csv"] if exports.csv_delimiter(lang) == ";" else ["csv", "csv;"]
formats = {f: {"csv": "fmt_csv", "csv;": "fmt_csv_semicolon"}[f] for f in csv_formats} | {"xlsx": "fmt_xlsx",
                                                                                          "pdf": "fmt_pdf"}
fmt = st.radio(t("downloads.format"), list(formats), format_func=lambda f: t(f"downloads.{formats[f]}"),
               horizontal=True, key="dl_format")
sheet = ui.run("dl_list", exports.attendance, event_id, columns=columns, lang=lang, write=False, **kwargs)
ui.form_error_summary("dl_list", {"columns": t("downloads.columns")})
if sheet is not None:
    mime, ext = exports.file_type(fmt)
    st.caption(t("downloads.rows", n=len(sheet.rows)))
    if fmt == "pdf":  # said before the download: which columns the sign-in sheet puts on a second line
        moved = exports.sign_in_layout(sheet, lang).moved()
        if moved:
            st.info(t("downloads.pdf_second_line", columns=", ".join(t(f"exports.col.{c}") for c in moved)))
        unshown = exports.unprintable(sheet)  # printed as '?': the Excel list has them as typed
        if unshown:
            shown = ", ".join(unshown[:10]) + (f" (+{len(unshown) - 10})" if len(unshown) > 10 else "")
            st.warning(t("downloads.pdf_unprintable", names=shown))
    # The file (a PDF of 10,000 rows takes seconds) is built when clicked, not on every rerun.
    ui.download(t("downloads.download"), lambda sheet=sheet, fmt=fmt: exports.export(sheet, fmt, lang)[0],
                file_name=exports.filename(sheet, ext, lang), mime=mime, key="dl_list_button", type="primary",
                audit_as=(f"export.attendance.{fmt}", f"event {event_id} {kwargs} {columns}"))
