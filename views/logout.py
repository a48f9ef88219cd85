import streamlit as st

import ui

ui.logout(reason="auth.logged_out")
st.rerun()
