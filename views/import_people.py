"""Importeren: the jobseekers or employers an organisation already has on file, from CSV or Excel.
First what would happen (per-row problems, who is known), then the import, all or nothing."""
import pandas as pd
import streamlit as st

import ui
from eventtool.people import bulk_import
from eventtool.timeutil import fmt_local

t = ui.t
ui.guard("views/import_people.py")
db = ui.get_db()
user = ui.current_user()
FORM = "import"
st.title(t("import.title"))
st.caption(t("import.intro"))

kind = st.radio(t("import.kind"), list(bulk_import.KINDS), format_func=lambda k: t(f"import.kind.{k}"),
                horizontal=True, key="import_kind")
st.caption(t(f"import.columns_{kind}"))
upload = st.file_uploader(t("import.file"), type=["csv", "xlsx"], key=f"import_file_{kind}")


def do_import(kind: str, file_key: str, file_id: str, merge_key: str) -> None:
    """Bound to the kind, the very upload that was previewed and its choice of records to merge."""
    chosen = st.session_state.get(file_key)
    if chosen is None or chosen.file_id != file_id:
        return  # another file was chosen meanwhile: the page shows its own preview
    merge = st.session_state.get(merge_key) or []
    result = ui.run(FORM, bulk_import.commit, chosen.getvalue(), chosen.name, kind, list(merge), user["email"])
    if result is not None:
        st.session_state.import_done = (result.created, result.merged, result.skipped)


def undo(batch_id: int) -> None:
    if ui.run(FORM, bulk_import.undo_last, batch_id) is not None:
        st.session_state.flash = "import.undone"


done = st.session_state.pop("import_done", None)
if done:
    st.success(t("import.done", created=done[0], merged=done[1], skipped=done[2]))
ui.form_error_summary(FORM)

if upload is not None and not done:
    seen = ui.run(FORM, bulk_import.preview, upload.getvalue(), upload.name, kind, write=False)
    ui.form_error_summary(FORM)
    if seen is not None:
        st.write(t("import.summary", rows=len(seen.rows), new=len(seen.new), known=len(seen.known),
                   problems=len(seen.problems)))
        dropped = sum(1 for r in seen.rows if r.dropped)
        if dropped:
            st.info(t("import.dropped", count=dropped))
        if seen.problems:
            st.subheader(t("import.problems"))
            ui.table(pd.DataFrame([{t("import.col.row"): r.number, t("import.col.field"): field,
                                    t("import.col.problem"): ui.message(code, params)}
                                   for r in seen.problems for field, code, params in r.problems]))
        merge_key = f"import_merge_{kind}_{upload.file_id}"
        if seen.known:
            st.caption(t("import.known_help"))
            labels = {r.known_id: f"{t('import.col.row')} {r.number}: "
                                  f"{r.values.name if kind == 'jobseekers' else r.values.organisation} → {r.known_name}"
                      for r in seen.known}
            st.multiselect(t("import.col.merge"), list(labels), format_func=labels.get, key=merge_key,
                           placeholder=t("form.optional"))
        st.button(t("import.go"), type="primary", key=f"import_go_{kind}", disabled=bool(seen.problems),
                  on_click=do_import, args=(kind, f"import_file_{kind}", upload.file_id, merge_key))

last = db.read(bulk_import.last_batch)
if last is not None:
    st.divider()
    st.caption(t("import.last", file=ui.plain(last.filename), date=fmt_local(last.created_at), by=ui.plain(last.created_by)))
    st.button(t("import.undo"), key=f"import_undo_{last.id}", on_click=ui.ask, args=("import_undo", last.id))
    ui.confirm("import_undo", last.id, t("import.undo_confirm", file=ui.plain(last.filename), count=len(last.created_ids)),
               t("import.undo_yes"), undo, last.id)
