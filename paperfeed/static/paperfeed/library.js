// Save to a collection without a page reload, and copy a BibTeX entry; without this script the Save form is a
// plain POST that comes back with a message, and the entry stays selectable text.
window.paperfeed.enhance("form.save", async (form, response) => {
  const data = await response.json().catch(() => ({}));
  if (response.status === 401) { window.location = data.login_url || "/accounts/login/"; return; }
  const button = form.querySelector("button");
  if (!response.ok) { button.title = (data.error && data.error.message) || "Could not save"; return; }
  form.querySelector("input[name=action]").value = data.saved ? "remove" : "save";
  button.classList.toggle("saved", data.saved);
  button.setAttribute("aria-pressed", String(data.saved));
  button.textContent = data.saved ? "★ Saved" : "☆ Save";
  button.title = data.message;
  let status = form.querySelector(".save-status");
  if (!status) {
    status = document.createElement("span");
    status.className = "save-status";
    status.setAttribute("role", "status");
    form.append(status);
  }
  status.textContent = data.message;
});

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.copy[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  await navigator.clipboard.writeText(source.textContent);
  button.textContent = "Copied";
});

// The copy button is useful only where this script runs.
for (const button of document.querySelectorAll("button.copy[data-copy]")) button.hidden = false;
