// Opens and closes the console's dialogs; every action itself is a plain form POST.
document.addEventListener("click", (event) => {
  const opener = event.target.closest("[data-open]");
  if (opener) document.getElementById(opener.dataset.open).showModal();
  const closer = event.target.closest("[data-close]");
  if (closer) document.getElementById(closer.dataset.close).close();
});
document.addEventListener("DOMContentLoaded", () => {
  for (const dialog of document.querySelectorAll("dialog[data-open-on-load]")) dialog.showModal();
});
