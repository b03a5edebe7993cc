// The product form's photo field (#p-photo): shows the picture chosen before it is uploaded,
// in #p-preview, so staff see they picked the right one. Without JavaScript the upload works
// the same, unseen. The preview is a data: address (the page's policy allows no blob:).
(function () {
  "use strict";
  var input = document.getElementById("p-photo");
  var preview = document.getElementById("p-preview");
  if (!input || !preview || !window.FileReader) return;
  var chosen = 0;

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    var mine = ++chosen;
    preview.textContent = "";
    preview.hidden = true;
    if (!file || !/^image\/(jpeg|png|webp)$/.test(file.type)) return;
    var reader = new FileReader();
    reader.onload = function () {
      // A later choice wins over a slower earlier one.
      if (mine !== chosen) return;
      var img = document.createElement("img");
      img.src = String(reader.result);
      img.alt = preview.getAttribute("data-alt") || "";
      preview.appendChild(img);
      preview.hidden = false;
    };
    reader.readAsDataURL(file);
  });
})();
