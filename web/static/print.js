// The print view of a report or a file opens the print dialog once loaded;
// the page's heading and page numbers come from the stylesheet.
window.addEventListener('load', function () {
  if (document.querySelector('.print-head.preview')) {
    window.print();
  }
});
