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
