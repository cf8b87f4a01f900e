// hirebot chat widget. Embed with one tag:
//   <script src="https://HIREBOT/widget.js" data-workspace="acme" async></script>
// Optional: data-label (the bubble's text), data-position="left".
(function () {
  "use strict";
  var s = document.currentScript;
  if (!s) return;
  var origin = new URL(s.src).origin;
  var d = s.dataset, open = false, frame = null;
  var left = d.position === "left";

  var bubble = document.createElement("button");
  bubble.type = "button";
  bubble.textContent = d.label || "Chat";
  bubble.setAttribute("aria-expanded", "false");
  bubble.setAttribute("aria-controls", "hirebot-chat");
  bubble.setAttribute("aria-label", (d.label || "Chat") + " with hirebot");
  var bs = bubble.style;
  bs.position = "fixed"; bs.bottom = "16px"; bs[left ? "left" : "right"] = "16px"; bs.zIndex = "2147483646";
  bs.minWidth = "56px"; bs.height = "56px"; bs.padding = "0 18px"; bs.border = "0"; bs.borderRadius = "28px";
  bs.background = "#1f4fbf"; bs.color = "#fff"; bs.font = "600 16px system-ui, sans-serif";
  bs.boxShadow = "0 4px 14px rgba(0,0,0,.25)"; bs.cursor = "pointer";

  var box = document.createElement("div");
  box.id = "hirebot-chat";
  box.hidden = true;
  var xs = box.style;
  xs.position = "fixed"; xs.bottom = "84px"; xs[left ? "left" : "right"] = "16px"; xs.zIndex = "2147483647";
  xs.width = "min(380px, calc(100vw - 32px))"; xs.height = "min(560px, calc(100vh - 110px))";
  xs.borderRadius = "12px"; xs.overflow = "hidden"; xs.boxShadow = "0 8px 28px rgba(0,0,0,.3)"; xs.background = "#fff";

  function toggle() {
    open = !open;
    if (open && !frame) {
      var q = new URLSearchParams({ embed: "1" });
      if (d.workspace) q.set("workspace", d.workspace);
      if (d.as) q.set("as", d.as);
      frame = document.createElement("iframe");
      frame.src = origin + "/chat?" + q.toString();
      frame.title = "Chat with hirebot";
      frame.style.border = "0"; frame.style.width = "100%"; frame.style.height = "100%";
      box.appendChild(frame);
    }
    box.hidden = !open;
    bubble.setAttribute("aria-expanded", String(open));
    if (open) frame.focus();
  }

  bubble.addEventListener("click", toggle);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && open) { toggle(); bubble.focus(); }
  });
  function mount() { document.body.appendChild(box); document.body.appendChild(bubble); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
