// Progressive enhancement for the site's small forms: a form matching `selector` is posted with fetch instead of
// loading a page, and `handle(form, response, button)` updates the page in place (`button` is the one pressed,
// whose name and value are sent as a plain POST would send them). Without this script every such form still
// works as a plain POST.
window.paperfeed = window.paperfeed || {};
window.paperfeed.enhance = (selector, handle) => {
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches(selector)) return;
    event.preventDefault();
    // form.action would be a hidden input named "action", not the attribute.
    const response = await fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form, event.submitter || null),
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" },
      credentials: "same-origin",
    });
    await handle(form, response, event.submitter);
  });
};
