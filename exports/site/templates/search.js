/* The site's search: Pagefind's UI over the index made at export; ?q= from the header's form. */
(function () {
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") { return; }
  var ui = new PagefindUI({ element: "#search", showImages: false, resetStyles: false });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
})();
