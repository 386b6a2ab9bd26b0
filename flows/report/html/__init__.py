"""Self-contained HTML pages: a flow's timeline (diagnosis, swim lanes, decoded messages, claims) and the run summary.

Public API::

    render_flow_page(trace, redactor, *, findings=(), info=PageInfo(), scrub=None) -> str
    write_flow_timeline(trace, path, redactor, *, title=None, signin_screens=()) -> Path
    timeline_path(reports_dir, nodeid) -> Path;  timeline_name(nodeid) -> str
    read_allure_results(results_dir) -> list[FlowResult]
    render_run_summary(results, *, ...) -> str;  write_run_summary(reports_dir, ...) -> Path
    secret_values(trace, redactor, ...) -> SecretValues (scrub free text of known secrets)
"""

from sso_harness.report.html.allure_cli import AllureRun, allure_executable, generate_allure_report
from sso_harness.report.html.flow_timeline import (
    TIMELINES_DIR,
    timeline_name,
    timeline_path,
    write_flow_timeline,
)
from sso_harness.report.html.page import PageInfo, document, render_flow_page
from sso_harness.report.html.run_summary import (
    FlowResult,
    nodeid_of,
    read_allure_results,
    render_run_summary,
    write_run_summary,
)
from sso_harness.report.html.scrub import SecretValues, secret_values

__all__ = [
    "TIMELINES_DIR", "AllureRun", "FlowResult", "allure_executable", "generate_allure_report", "nodeid_of", "PageInfo", "SecretValues", "document", "read_allure_results", "render_flow_page",
    "render_run_summary", "secret_values", "timeline_name", "timeline_path", "write_flow_timeline", "write_run_summary",
]
