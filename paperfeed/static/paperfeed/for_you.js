// Not interested without a reload: the entry leaves at once; without this script the form posts and the page reloads.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.matches("form.not-interested")) return;
  event.preventDefault();
  const response = await fetch(form.getAttribute("action"), {
    method: "POST",
    body: new FormData(form),
    headers: { "X-Requested-With": "fetch", "Accept": "application/json" },
    credentials: "same-origin",
  });
  if (!response.ok) return;
  const entry = form.closest("article.entry");
  if (entry) entry.remove();
});
