// The print view's button opens the browser's print dialog; the page's
// heading and page numbers come from the stylesheet.
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () { window.print(); });
  });
});
