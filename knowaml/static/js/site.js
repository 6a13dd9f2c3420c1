// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  document.querySelectorAll(".video-placeholder[data-embed]").forEach(function (box) {
    var button = box.querySelector(".video-placeholder__play");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = box.dataset.embed;
      frame.title = box.dataset.title;
      frame.allow = "fullscreen; picture-in-picture";
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      frame.className = "video-frame";
      box.replaceWith(frame);
      frame.focus();
    });
  });

  // Header menus are <details> and work without this; here Escape and a click elsewhere close them.
  var menus = document.querySelectorAll(".site-header details.disclosure");
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    menus.forEach(function (menu) {
      if (menu.open && menu.contains(document.activeElement)) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });
  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });

  var share = document.querySelector(".share");
  if (share) {
    var url = share.dataset.url;
    var title = share.dataset.title;
    var native = share.querySelector(".share__native");
    if (native && navigator.share) {
      native.hidden = false;
      native.addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () {});
      });
    }
    var copy = share.querySelector(".share__copy");
    var status = share.querySelector(".share__status");
    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(function () {
          status.textContent = status.dataset.copied;
        });
      });
    }
  }
})();
