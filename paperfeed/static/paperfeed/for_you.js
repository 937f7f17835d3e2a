// Not interested without a reload: the entry leaves at once; without this script the form posts and the page reloads.
window.paperfeed.enhance("form.not-interested", async (form, response) => {
  if (!response.ok) return;
  const entry = form.closest("article.entry");
  if (entry) entry.remove();
});
