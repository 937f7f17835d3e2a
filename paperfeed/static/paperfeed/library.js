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

// On a collection page: notes, read state and the order change in place; without this script each form is a
// plain POST that comes back to the page with a message.
const statusOf = (form) => {
  let status = form.querySelector(".save-status");
  if (!status) {
    status = document.createElement("span");
    status.className = "save-status";
    status.setAttribute("role", "status");
    form.append(status);
  }
  return status;
};

window.paperfeed.enhance("form.note-form", async (form, response) => {
  const data = await response.json().catch(() => ({}));
  const error = form.querySelector(".field-error");
  const textarea = form.querySelector("textarea");
  if (!response.ok) {
    error.textContent = (data.error && data.error.message) || "The note could not be saved; try again.";
    error.hidden = false;
    textarea.setAttribute("aria-invalid", "true");
    statusOf(form).textContent = "";
    return;
  }
  error.hidden = true;
  textarea.removeAttribute("aria-invalid");
  textarea.value = data.note;
  const item = form.closest(".collection-item");
  const note = item.querySelector(".note");
  note.innerHTML = data.html;  // sanitized on the server, as the page renders it
  note.hidden = !data.note;
  item.querySelector(".note-edit summary").textContent = data.note ? "Edit note" : "Add a note";
  statusOf(form).textContent = data.message;
});

window.paperfeed.enhance("form.item-read", async (form, response) => {
  const data = await response.json().catch(() => ({}));
  if (!response.ok) { statusOf(form).textContent = (data.error && data.error.message) || "Could not change it"; return; }
  const item = form.closest(".collection-item");
  item.classList.toggle("read", data.read);
  item.querySelector(".read-mark").textContent = data.read ? " · read" : "";
  form.querySelector("input[name=read]").value = data.read ? "0" : "1";
  form.querySelector("button").textContent = data.read ? "Mark unread" : "Mark read";
  statusOf(form).textContent = data.message;
});

const setMoveButtons = () => {
  const forms = [...document.querySelectorAll("form.item-move")];
  forms.forEach((form, index) => {
    form.querySelector("button[value=up]").disabled = index === 0;
    form.querySelector("button[value=down]").disabled = index === forms.length - 1;
  });
};

window.paperfeed.enhance("form.item-move", async (form, response, button) => {
  if (!response.ok || !button) return;
  const item = form.closest(".collection-item");
  if (button.value === "up") {
    const before = item.previousElementSibling;
    if (before && before.matches(".collection-item")) item.parentNode.insertBefore(item, before);
  } else {
    const after = item.nextElementSibling;
    if (after && after.matches(".collection-item")) item.parentNode.insertBefore(after, item);
  }
  setMoveButtons();
  if (!button.disabled) button.focus();
});

// Import a library file with its progress shown: the upload's bytes, then the matching of its entries with the
// hub's papers; then the collection page, with the import's message. Without this script the form is a plain
// POST that comes back to the same page.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form.import-form") || !window.XMLHttpRequest) return;
  event.preventDefault();
  const progress = form.querySelector(".import-progress");
  const status = form.querySelector(".import-status");
  const button = form.querySelector("button[type=submit]");
  const file = form.querySelector("input[type=file]").files[0];
  const request = new XMLHttpRequest();
  request.open("POST", form.getAttribute("action"));
  request.setRequestHeader("X-Requested-With", "fetch");
  request.setRequestHeader("Accept", "application/json");
  request.upload.addEventListener("progress", (e) => {
    if (!e.lengthComputable) return;
    progress.value = Math.round((100 * e.loaded) / e.total);
    status.textContent = `Uploading ${file ? file.name : "the file"}: ${progress.value}%`;
  });
  request.upload.addEventListener("load", () => {
    progress.removeAttribute("value");  // no figure for the server's part: an indeterminate bar
    status.textContent = "Uploaded; finding the papers of its entries on this hub…";
  });
  request.addEventListener("load", () => {
    let data = {};
    try { data = JSON.parse(request.responseText); } catch (_) { /* not JSON: a proxy's error page */ }
    if (request.status === 200 && data.url) { window.location = data.url; return; }
    progress.hidden = true;
    button.disabled = false;
    status.textContent = (data.error && data.error.message) || `The import failed (${request.status}); try again.`;
  });
  request.addEventListener("error", () => {
    progress.hidden = true;
    button.disabled = false;
    status.textContent = "The upload did not reach the server; check the connection and try again.";
  });
  progress.value = 0;
  progress.hidden = false;
  button.disabled = true;
  status.textContent = "Uploading…";
  request.send(new FormData(form));
});
