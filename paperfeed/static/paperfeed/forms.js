// Progressive enhancement for the site's small forms: a form matching `selector` is posted with fetch instead of
// loading a page, and `handle(form, response)` updates the page in place. Without this script every such form
// still works as a plain POST.
window.paperfeed = window.paperfeed || {};
window.paperfeed.enhance = (selector, handle) => {
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches(selector)) return;
    event.preventDefault();
    // form.action would be a hidden input named "action", not the attribute.
    const response = await fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" },
      credentials: "same-origin",
    });
    await handle(form, response);
  });
};
