"""Between the browser and Streamlit: how the app is served (serve.py), nothing of the plan."""
