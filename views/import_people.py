"""Importeren: the jobseekers or employers an organisation already has on file, from CSV or Excel.
First what would happen (per-row problems, who is known), then the import, all or nothing."""
import pandas as pd
import streamlit as st

import ui
from eventtool.results import bulk_import
from eventtool.core.timeutil import fmt_local

t = ui.t
ui.guard("views/import_people.py")
db = ui.get_db()
user = ui.current_user()
FORM = "import"
PREVIEW = "import_preview"  # so that a previous file's problem is not shown again above the next one
st.title(t("import.title"))
st.caption(t("import.intro"))

kind = st.radio(t("import.kind"), list(bulk_import.KINDS), format_func=lambda k: t(f"import.kind.{k}"),
                horizontal=True, key="import_kind")
st.caption(t(f"import.columns_{kind}"))
upload = st.file_uploader(t("import.file"), type=["csv", "xlsx"], key=f"import_file_{kind}")


def do_import(kind: str, file_key: str, file_id: str, merge_key: str, leave_out: list[int]) -> None:
    """Bound to the kind, the very upload that was previewed, its choice of records to merge and the
    rows with a problem that staff saw (and so leave out)."""
    chosen = st.session_state.get(file_key)
    if chosen is None or chosen.file_id != file_id:
        return  # another file was chosen meanwhile: the page shows its own preview
    merge = st.session_state.get(merge_key) or []
    result = ui.run(FORM, bulk_import.commit, chosen.getvalue(), chosen.name, kind, list(merge), user["email"],
                    leave_out)
    if result is not None:
        st.session_state.import_done = (result.created, result.merged, result.skipped, result.left_out)


def undo(batch_id: int) -> None:
    if ui.run(FORM, bulk_import.undo_last, batch_id) is not None:
        st.session_state.flash = "import.undone"


done = st.session_state.pop("import_done", None)
if done:
    st.success(t("import.done", created=done[0], merged=done[1], skipped=t("import.done_skipped", n=done[2])))
    if done[3]:
        st.warning(t("import.done_left_out", count=done[3]))
ui.form_error_summary(FORM)

if upload is not None and not done:
    seen = ui.run(PREVIEW, bulk_import.preview, upload.getvalue(), upload.name, kind, write=False)
    ui.form_error_summary(PREVIEW)
    if seen is not None:
        st.write(t("import.summary", rows=t("count.rows", n=len(seen.rows)), new=len(seen.new), known=len(seen.known),
                   problems=len(seen.problems)))
        dropped = sum(1 for r in seen.rows if r.dropped)
        if dropped:
            st.info(t("import.dropped", count=dropped))

        def column(name: str) -> str:
            """The heading as the file writes it; a column the file lacks by its usual name."""
            return seen.heading(name) or (t(f"import.field.{name}") if name else "")

        if seen.problems:
            st.subheader(t("import.problems"))
            ui.table(pd.DataFrame([{t("import.col.row"): r.number, t("import.col.field"): column(field),
                                    t("import.col.problem"): ui.message(code, dict(params, column=column(field)))}
                                   for r in seen.problems for field, code, params in r.problems]))
        merge_key = f"import_merge_{kind}_{upload.file_id}"
        if seen.known:
            st.caption(t("import.known_help"))
            ui.table(pd.DataFrame([{t("import.col.row"): r.number,
                                    t("import.col.in_file"): r.values.name if kind == "jobseekers"
                                    else r.values.organisation,
                                    t("import.col.known"): r.known_name,
                                    t("import.col.overwrites"): ", ".join(column(f) for f in r.overwrites)
                                    or t("import.overwrites_nothing")}
                                   for r in seen.known]))
            labels = {r.known_id: f"{t('import.col.row')} {r.number}: "
                                  f"{r.values.name if kind == 'jobseekers' else r.values.organisation} → {r.known_name}"
                      for r in seen.known}
            st.multiselect(t("import.col.merge"), list(labels), format_func=labels.get, key=merge_key,
                           placeholder=t("form.optional"))
        leave_out = [r.number for r in seen.problems]
        st.button(t("import.go_leave_out", count=len(leave_out)) if leave_out else t("import.go"), type="primary",
                  key=f"import_go_{kind}", disabled=not (seen.new or seen.known),
                  on_click=do_import, args=(kind, f"import_file_{kind}", upload.file_id, merge_key, leave_out))

last = db.read(bulk_import.last_batch)
if last is not None:
    st.divider()
    st.caption(t("import.last", file=ui.plain(last.filename), date=fmt_local(last.created_at), by=ui.plain(last.created_by)))
    st.button(t("import.undo"), key=f"import_undo_{last.id}", on_click=ui.ask, args=("import_undo", last.id))
    ui.confirm("import_undo", last.id, t("import.undo_confirm", file=ui.plain(last.filename), count=len(last.created_ids)),
               t("import.undo_yes"), undo, last.id)
