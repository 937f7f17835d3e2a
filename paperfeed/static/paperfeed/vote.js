// Upvote without a page reload; the form still works as a plain POST when this script does not run.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.matches("form.vote")) return;
  event.preventDefault();
  // form.action would be the hidden input named "action", not the attribute.
  const response = await fetch(form.getAttribute("action"), {
    method: "POST",
    body: new FormData(form),
    headers: { "X-Requested-With": "fetch", "Accept": "application/json" },
    credentials: "same-origin",
  });
  if (response.status === 401) { window.location = "/accounts/login/?next=" + encodeURIComponent(location.pathname); return; }
  if (!response.ok) return;
  const data = await response.json();
  const button = form.querySelector("button");
  form.querySelector(".count").textContent = data.upvotes;
  form.querySelector("input[name=action]").value = data.voted ? "undo" : "up";
  button.classList.toggle("voted", data.voted);
  button.setAttribute("aria-pressed", String(data.voted));
  button.title = data.voted ? "Undo upvote" : "Upvote";
});
