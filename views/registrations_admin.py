import functools

import pandas as pd
import streamlit as st

import ui
from eventtool.dayof import badges
from eventtool.events import events
from eventtool.people import identity
from eventtool.registration import door, registration
from eventtool.core.config import TZ
from eventtool.core.timeutil import to_local
from eventtool.core.vocab import RegStatus, SupportNeed
from eventtool.registration import event_changes
from eventtool.registration import profile_changes
from eventtool.registration import stands
from eventtool.dayof import floorlist

t = ui.t
ui.guard("views/registrations_admin.py")
db = ui.get_db()
st.title(t("regs.title"))

rows = db.read(event_changes.overview)
if not rows:
    st.info(t("events.none"))
    st.stop()
event_id, by_id = ui.choose_overview_event(rows, "regs_event")
label = lambda i: ui.overview_label(by_id[i])  # noqa: E731
info = by_id[event_id]
c1, c2, c3 = st.columns(3)
c1.metric(t("regs.confirmed"), f"{info['jobseekers']} / {info['capacity_jobseekers']}")
c2.metric(t("regs.waitlist"), info["waitlist"])
c3.metric(t("regs.employers"), f"{info['employers']} / {info['capacity_employers']}")



def decide(proposal_id: int, accept: bool, fields: list[str]) -> None:
    chosen = [f for f in fields if st.session_state.get(f"rv_{proposal_id}_{f}")]
    if accept:
        ui.run("review", identity.accept_proposal, proposal_id, chosen)
    else:
        ui.run("review", identity.reject_proposal, proposal_id)
    if not ui.errors("review"):
        st.session_state.flash = "review.accepted" if accept else "review.rejected"


def shown(field: str, value) -> str:
    if isinstance(value, list):
        vocab = {"support_needs": "need", "interests": "sector", "sectors": "sector"}.get(field)
        return ", ".join(t(f"{vocab}.{v}") if vocab else str(v) for v in value) or "-"
    if field == "target_group" and value:
        return t(f"target.{value}")
    if isinstance(value, bool):
        return t("review.yes") if value else t("review.no")
    return str(value) if value not in (None, "") else "-"


proposals = db.read(profile_changes.review_list, event_id)
if proposals:
    # What a public form typed about someone we know waits here; nothing changed until accepted.
    with st.expander(t("review.title", n=len(proposals)), expanded=True):
        st.caption(t("review.intro"))
        for p in proposals:
            pid, fields = p["id"], [c["field"] for c in p["changes"]]
            with st.container(border=True):
                st.markdown(t("review.about", name=ui.plain(ui.person_label(p["name"], p["email"] or "")),
                              party=t(f"party.{p['party']}"), at=to_local(p["at"]).strftime("%d-%m-%Y %H:%M")))
                for c in p["changes"]:
                    st.checkbox(t("review.change", field=t(f"review.field.{c['field']}"),
                                  stored=ui.plain(shown(c["field"], c["stored"])),
                                  typed=ui.plain(shown(c["field"], c["typed"]))),
                                key=f"rv_{pid}_{c['field']}", value=False)
                c1, c2 = st.columns(2)
                c1.button(t("review.accept"), key=f"rv_accept_{pid}", type="primary", on_click=decide,
                          args=(pid, True, fields))
                c2.button(t("review.reject"), key=f"rv_reject_{pid}", on_click=decide, args=(pid, False, fields))
        ui.form_error_summary("review")

regs = db.read(registration.registrations_table, event_id)
ui.log_view("view.registrations", f"event {event_id}")
show_needs = st.toggle(t("regs.show_needs"), value=False, help=t("regs.show_needs_help"),
                       on_change=lambda: ui.log_access("view.support_needs", f"event {event_id}"))

def remember_selection(table_key: str, ids: list[int], chosen_key: str) -> None:
    """The table's selection is a row number; turn it into the id of the registration in that row
    as it was drawn (`ids` is bound when the table is drawn), so a list that re-sorts after an
    action never moves the choice to someone else."""
    rows = st.session_state[table_key].selection.rows
    st.session_state[chosen_key] = ids[rows[0]] if rows and rows[0] < len(ids) else None


def set_status(registration_id: int, status: str) -> None:
    if ui.run("regs_actions", registration.set_status, registration_id, status) is not None:
        st.session_state.flash = "regs.updated"


def remove_companion(registration_id: int, who: str) -> None:
    ui.run("regs_actions", registration.remove_companion, registration_id)
    if not ui.errors("regs_actions"):
        st.session_state.flash = ("regs.companion_removed", {"who": who})


def renew_door_code(registration_id: int) -> None:
    if ui.run("regs_actions", door.renew, registration_id) is not None:
        st.session_state.flash = "regs.door_code_renewed"


def move(registration_id: int, target_key: str) -> None:
    target = st.session_state.get(target_key)
    if target and ui.run("regs_actions", registration.move_registration, registration_id, target) is not None:
        st.session_state.flash = "regs.moved"


chosen_key = f"regs_chosen_{event_id}"
selected = None
if regs:
    ids = [r["id"] for r in regs]
    # A new table (and selection) whenever the order changes; it opens on the chosen registration.
    table_key = f"regs_table_{event_id}_{hash(tuple(ids)) & 0xffffffff:x}"
    chosen_id = st.session_state.get(chosen_key)
    df = pd.DataFrame(regs)
    # Translated once per distinct value, not once per row (2,500 rows rerun at every click).
    for column, vocab in (("party", "party"), ("status", "status"), ("source", "source")):
        df[column] = df[column].map({v: t(f"{vocab}.{v}") for v in df[column].unique()})
    df["registered_at"] = pd.to_datetime(df["registered_at"], utc=True).dt.tz_convert(TZ).dt.strftime("%d-%m-%Y %H:%M")
    needs = {n: t(f"need.{n}") for n in SupportNeed}
    df["support_needs"] = df["support_needs"].map(lambda ns: ", ".join(needs.get(n, n) for n in ns))
    if not show_needs:
        df = df.drop(columns=["support_needs"])
    df["companion"] = [registration.companion_label(k, n, ui.lang()) for k, n in zip(df["companion"], df["companion_name"])]
    df = df.drop(columns=["companion_name"])
    ui.table(df.drop(columns=["id"]), width="stretch", key=table_key, selection_mode="single-row",
             on_select=functools.partial(remember_selection, table_key, ids, chosen_key),
             selection_default={"selection": {"rows": [ids.index(chosen_id)] if chosen_id in ids else []}},
             column_config={c: t(f"regs.col.{c}") for c in df.columns})
    selected = next((r for r in regs if r["id"] == st.session_state.get(chosen_key)), None)
else:
    st.info(t("regs.none"))

# ---- job fair: stands and the floor list (issue 29) --------------------------------------------


def save_stand(event_id: int, registration_id: int) -> None:
    """The stand typed for this employer's registration (its field's key holds the id)."""
    value_key = f"stand_value_{registration_id}"
    if ui.run(f"stands_{event_id}", stands.set_stand, registration_id, st.session_state.get(value_key)) is not None:
        st.session_state.flash = "stands.saved"
        st.session_state.pop(value_key, None)  # the field shows the stand as stored (A3, not a3)


def assign_stands(event_id: int, renumber: bool) -> None:
    given = ui.run(f"stands_{event_id}", stands.assign_by_sector, event_id, renumber)
    if given is not None:
        st.session_state.flash = ("stands.assigned", {"n": given})


def stands_block(event_id: int) -> None:
    form = f"stands_{event_id}"
    st.header(t("stands.title"))
    rows = db.read(stands.employers, event_id)
    if not rows:
        st.info(t("stands.no_employers"))
    else:
        ui.table(pd.DataFrame([{t("floorlist.col_stand"): r.stand or "", t("floorlist.col_employer"): r.organisation,
                                t("floorlist.col_sector"): ", ".join(t(f"sector.{c}") for c in r.sectors)}
                               for r in rows]), width="stretch")
        by_reg = {r.registration_id: r for r in rows}
        pick_key = f"stand_pick_{event_id}"
        st.selectbox(t("stands.employer"), list(by_reg), index=None, key=pick_key, placeholder=t("form.choose"),
                     format_func=lambda i: f"{by_reg[i].organisation} ({by_reg[i].stand or '-'})")
        rid = st.session_state.get(pick_key)
        if rid in by_reg:
            with st.form(f"stand_form_{rid}", enter_to_submit=False):
                st.text_input(t("stands.number"), value=by_reg[rid].stand or "", max_chars=stands.MAX_LENGTH,
                              key=f"stand_value_{rid}", help=t("stands.number_help"))
                ui.field_error(form, "stand")
                st.form_submit_button(t("stands.save"), on_click=save_stand, args=(event_id, rid), type="primary")
        c1, c2 = st.columns(2)
        c1.button(t("stands.assign"), key=f"stands_assign_{event_id}", on_click=ui.ask, args=("stands_assign", event_id))
        c2.button(t("stands.renumber"), key=f"stands_renumber_{event_id}", on_click=ui.ask,
                  args=("stands_renumber", event_id))
        ui.confirm("stands_assign", event_id, t("stands.confirm_assign", n=len(rows)), t("stands.confirm_assign_yes"),
                   assign_stands, event_id, False)
        ui.confirm("stands_renumber", event_id, t("stands.confirm_renumber", n=len(rows)),
                   t("stands.confirm_renumber_yes"), assign_stands, event_id, True)
    ui.form_error_summary(form, {"stand": t("stands.number")})
    floor = db.read(floorlist.floor_list, event_id, ui.lang())
    ui.download(t("stands.floorlist"), lambda: floorlist.to_pdf(floor, ui.lang()),
                file_name=floorlist.filename(floor, ui.lang()), mime="application/pdf", key=f"floorlist_{event_id}")
    st.caption(t("stands.floorlist_help"))


if info["kind"] == "job_fair":
    stands_block(event_id)

FORM = "walk_in"
if selected:
    rid = selected["id"]
    st.header(t("regs.selected", name=ui.plain(ui.person_label(selected["name"], selected["contact"]))))
    c1, c2, c3 = st.columns(3)
    for col, status in zip((c1, c2), (RegStatus.CONFIRMED, RegStatus.WAITLISTED)):
        if selected["status"] != status:
            col.button(t(f"regs.set_{status}"), key=f"set_{status}_{rid}", on_click=set_status, args=(rid, status.value))
    if selected["status"] != RegStatus.CANCELLED:
        c3.button(t("regs.set_cancelled"), key=f"set_cancelled_{rid}", on_click=ui.ask, args=("cancel_reg", rid))
    question = t("regs.confirm_cancel", name=ui.plain(ui.person_label(selected["name"], selected["contact"])),
                 event=ui.plain(label(event_id)))
    if selected["companion"] and selected["status"] != RegStatus.CANCELLED:
        # A linked seat: cancelling the person asks about who comes with them, and either can go alone.
        who = t(f"companion.{selected['companion']}")
        question += " " + t("regs.cancel_with_companion", name=ui.plain(selected["name"]), who=who,
                            companion=ui.plain(selected["companion_name"] or who))
        c3.button(t("regs.remove_companion", who=who), key=f"remove_companion_{rid}", on_click=ui.ask,
                  args=("remove_companion", rid))
        ui.confirm("remove_companion", rid, t("regs.confirm_remove_companion", who=who,
                                              companion=ui.plain(selected["companion_name"] or who),
                                              name=ui.plain(selected["name"])),
                   t("regs.confirm_remove_companion_yes", who=who), remove_companion, rid, who)
    ui.confirm("cancel_reg", rid, question, t("regs.confirm_cancel_yes"), set_status, rid, RegStatus.CANCELLED.value)
    if selected["status"] == RegStatus.CONFIRMED:  # for someone without e-mail, or for their coach to hand over
        ui.download(t("regs.letter"), lambda rid=rid: db.read(badges.letter_pdf, rid), file_name=f"brief-{rid}.pdf",
                    mime="application/pdf", key=f"regs_letter_{rid}", audit_as=("export.letter", f"registration {rid}"))
    if selected["status"] != RegStatus.CANCELLED:
        # A QR code that was lost or passed on: a new one, and the old one no longer opens the door.
        st.button(t("regs.new_door_code"), key=f"new_door_code_{rid}", on_click=ui.ask, args=("new_door_code", rid))
        ui.confirm("new_door_code", rid, t("regs.confirm_new_door_code",
                                           name=ui.plain(ui.person_label(selected["name"], selected["contact"]))),
                   t("regs.confirm_new_door_code_yes"), renew_door_code, rid)
    others = [i for i in by_id if i != event_id and by_id[i]["status"] != "cancelled"]
    target_key = f"move_target_{rid}"
    st.selectbox(t("regs.move_to"), others, index=None, format_func=label, key=target_key, placeholder=t("form.choose"))
    if st.session_state.get(target_key):
        st.button(t("regs.move"), key=f"move_{rid}", on_click=move, args=(rid, target_key))
    ui.form_error_summary("regs_actions")

st.divider()
st.header(t("regs.add_title"))
st.caption(t("regs.add_help"))
ui.walk_in_form(event_id, FORM, f"wi_{event_id}", by_phone=True)
