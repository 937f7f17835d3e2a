// Upvote without a page reload; the form still works as a plain POST when this script does not run.
window.paperfeed.enhance("form.vote", async (form, response) => {
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
