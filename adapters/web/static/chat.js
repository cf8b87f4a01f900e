// hirebot web chat. The server renders every reply as escaped HTML; this
// script only moves frames between the page and the WebSocket.
(function () {
  "use strict";
  var body = document.body;
  var log = document.getElementById("log");
  var scroller = log.parentNode;
  var status = document.getElementById("status");
  var say = document.getElementById("say");
  var text = document.getElementById("text");
  var ws = null, wait = 500, queue = [];

  function frameID() {
    var b = new Uint8Array(12);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }

  function socketURL() {
    var q = new URLSearchParams();
    if (body.dataset.workspace) q.set("workspace", body.dataset.workspace);
    if (body.dataset.as) q.set("as", body.dataset.as);
    var s = q.toString();
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/chat/ws" + (s ? "?" + s : "");
  }

  function setStatus(msg, offline) {
    status.textContent = msg;
    status.className = offline ? "offline" : "";
  }

  function scrollDown() { scroller.scrollTop = scroller.scrollHeight; }

  function note(cls, msg) {
    var d = document.createElement("div");
    d.className = "msg " + cls;
    var p = document.createElement("p");
    p.textContent = msg;
    d.appendChild(p);
    log.appendChild(d);
    scrollDown();
  }

  function show(html) {
    var t = document.createElement("template");
    t.innerHTML = html; // rendered and escaped by the server's html/template
    var node = t.content.firstElementChild;
    if (!node) return;
    log.appendChild(node);
    scrollDown();
    var first = node.querySelector("form input, form textarea");
    if (first) first.focus();
  }

  function send(frame) {
    frame.id = frameID();
    var data = JSON.stringify(frame);
    if (ws && ws.readyState === 1) ws.send(data); else queue.push(data);
  }

  function connect() {
    setStatus("Connecting…");
    ws = new WebSocket(socketURL());
    ws.onopen = function () {
      wait = 500;
      setStatus("Connected");
      while (queue.length) ws.send(queue.shift());
    };
    ws.onmessage = function (e) {
      var f;
      try { f = JSON.parse(e.data); } catch (_) { return; }
      if (f.type === "reply") show(f.html);
      else if (f.type === "error") note("sys", f.message);
    };
    ws.onclose = function () {
      setStatus("Offline — reconnecting…", true);
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 15000);
    };
  }

  say.addEventListener("submit", function (e) {
    e.preventDefault();
    var line = text.value.trim();
    if (!line) return;
    note("me", line);
    send({ type: "message", text: line });
    text.value = "";
  });

  log.addEventListener("click", function (e) {
    var b = e.target.closest("button[data-value]");
    if (!b) return;
    note("me", b.textContent);
    send({ type: "button", value: b.dataset.value });
    text.focus();
  });

  log.addEventListener("submit", function (e) {
    var form = e.target.closest("form[data-form]");
    if (!form) return;
    e.preventDefault();
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name) values[el.name] = el.value;
    });
    Array.prototype.forEach.call(form.elements, function (el) { el.disabled = true; });
    note("me", "Sent: " + (form.querySelector("h3") || {}).textContent);
    send({ type: "form", form: form.dataset.form, values: values });
    text.focus();
  });

  connect();
  text.focus();
})();
