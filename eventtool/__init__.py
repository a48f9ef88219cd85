"""eventtool: inclusive job fairs, speedmeets and Meet&Greets. Domain package (no streamlit here)."""
