"""The Streamlit pages of ``app.py``, one module each; ``common`` holds what they share.

Pages call the ``staffing`` library and render; caching (``st.cache_data``) lives here only.
"""

from ui.adjust import page_adjust
from ui.export import page_export
from ui.forecast import page_forecast
from ui.requirements import page_requirements
from ui.roster import page_roster
from ui.scenarios import page_scenarios
from ui.store import page_store

__all__ = [
    "page_adjust",
    "page_export",
    "page_forecast",
    "page_requirements",
    "page_roster",
    "page_scenarios",
    "page_store",
]
