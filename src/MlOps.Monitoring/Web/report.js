// Opens one window's HTML report in this tab. The report API needs the key (X-Api-Key), so the report is fetched here
// and shown as a blob: URL. A blob: document inherits the policy of the document that made it: this page's allows the
// report's own inline stylesheet, which the monitoring page's stricter one would block. The report's own policy
// forbids any script and any fetch.
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const message = document.querySelector("#report-message");
  const path = decodeURIComponent(location.hash.slice(1));
  const what = new URLSearchParams(location.search).get("window") || "this window";
  // Only a monitoring report of this origin, never a URL from elsewhere.
  if (!/^\/api\/monitoring\/[^?#]+\/windows\/[^/?#]+\/report(\?[^#]*)?$/.test(path)) {
    message.textContent = "No report named: open a window's report from the monitoring page.";
    return;
  }
  const key = sessionStorage.getItem("mlops-api-key") || "";
  try {
    const response = await fetch(path, { headers: { "X-Api-Key": key, Accept: "text/html" } });
    if (!response.ok) {
      message.setAttribute("role", "alert");
      message.textContent = response.status === 404
        ? `No report for ${what}: this monitor does not serve window reports, or no longer keeps the window (404).`
        : response.status === 401 ? "Sign in on the monitoring page first: the report needs your API key."
        : `The report of ${what} could not be loaded: ${response.status} ${response.statusText}.`;
      return;
    }
    const html = await response.blob();
    location.replace(URL.createObjectURL(new Blob([html], { type: "text/html" })));
  } catch (error) {
    message.setAttribute("role", "alert");
    message.textContent = `The report of ${what} could not be loaded: ${error.message}.`;
  }
});
