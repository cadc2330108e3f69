// Resumable evidence upload (tus 1.0 core + creation), self-written, no library, nothing fetched from outside.
// Each file's upload URL is kept in localStorage under a fingerprint (name, size, modification time,
// linked record), so after a dropped connection or a page reload, choosing the same file continues
// from the server's offset. Chunk size adapts to the link: about 4 seconds per request.
(function () {
  "use strict";
  var TUS = "1.0.0";
  var MIN_CHUNK = 256 * 1024, MAX_CHUNK = 64 * 1024 * 1024, TARGET_SECONDS = 4;

  function b64(text) {
    var bytes = new TextEncoder().encode(text), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin);
  }
  function human(n) {
    var u = ["B", "KB", "MB", "GB", "TB"], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : n) + " " + u[i];
  }
  function duration(s) {
    if (!isFinite(s) || s < 0) return "—";
    s = Math.round(s);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + " 小时 " : "") + (h || m ? m + " 分 " : "") + r + " 秒";
  }

  function Upload(file, form, ui) {
    this.file = file; this.form = form; this.ui = ui;
    this.url = null; this.offset = 0; this.chunk = 1024 * 1024; this.xhr = null;
    this.paused = false; this.done = false; this.retries = 0; this.samples = [];
    var subject = form.elements.subject ? form.elements.subject.value : "";
    this.key = "fazhi-tus:" + form.dataset.tusUrl + ":" + [file.name, file.size, file.lastModified, subject].join("|");
  }

  Upload.prototype.csrf = function () {
    return this.form.elements.csrfmiddlewaretoken.value;
  };

  Upload.prototype.metadata = function () {
    var f = this.form, pairs = [["filename", this.file.name], ["filetype", this.file.type || ""]];
    ["subject", "township", "stage", "device", "started_at", "ended_at", "place", "description", "purpose"].forEach(function (name) {
      var el = f.elements[name];
      if (el && el.value) pairs.push([name, el.value]);
    });
    var officers = Array.prototype.filter.call(f.querySelectorAll("input[name=officers]"), function (c) { return c.checked; })
      .map(function (c) { return c.value; });
    if (officers.length) pairs.push(["officers", officers.join(",")]);
    return pairs.map(function (p) { return p[0] + " " + b64(p[1]); }).join(",");
  };

  Upload.prototype.request = function (method, url, headers, body, onprogress) {
    var self = this;
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      self.xhr = xhr;
      xhr.open(method, url, true);
      xhr.setRequestHeader("Tus-Resumable", TUS);
      xhr.setRequestHeader("X-CSRFToken", self.csrf());
      Object.keys(headers || {}).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
      if (onprogress) xhr.upload.onprogress = onprogress;
      xhr.onload = function () { self.xhr = null; resolve(xhr); };
      xhr.onerror = function () { self.xhr = null; reject(new Error("network")); };
      xhr.onabort = function () { self.xhr = null; reject(new Error("abort")); };
      xhr.send(body || null);
    });
  };

  Upload.prototype.start = function () {
    var self = this;
    self.paused = false;
    var saved = localStorage.getItem(self.key);
    var ready = saved ? self.request("HEAD", saved).then(function (xhr) {
      if (xhr.status === 200) {
        self.url = saved;
        self.offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10) || 0;
        var done = xhr.getResponseHeader("Fazhi-Evidence-Url");
        if (done) { self.finish(done); return; }
        self.ui.status("从 " + human(self.offset) + " 处继续上传");
        return;
      }
      localStorage.removeItem(self.key);
      return self.create();
    }) : self.create();
    return ready.then(function () { if (!self.done) return self.loop(); })
      .catch(function (e) { self.fail(e); });
  };

  Upload.prototype.create = function () {
    var self = this;
    return self.request("POST", self.form.dataset.tusUrl, {
      "Upload-Length": String(self.file.size), "Upload-Metadata": self.metadata()
    }).then(function (xhr) {
      if (xhr.status !== 201) throw new Error(xhr.responseText || ("创建上传失败（" + xhr.status + "）"));
      self.url = xhr.getResponseHeader("Location");
      self.offset = 0;
      localStorage.setItem(self.key, self.url);
    });
  };

  Upload.prototype.loop = function () {
    var self = this;
    if (self.paused || self.done) return Promise.resolve();
    var end = Math.min(self.offset + self.chunk, self.file.size);
    var started = Date.now(), base = self.offset;
    return self.request("PATCH", self.url, {
      "Upload-Offset": String(self.offset), "Content-Type": "application/offset+octet-stream"
    }, self.file.slice(self.offset, end), function (e) {
      self.progress(base + e.loaded);
    }).then(function (xhr) {
      if (xhr.status === 204) {
        self.retries = 0;
        var sent = parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
        var seconds = Math.max((Date.now() - started) / 1000, 0.05);
        self.chunk = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.round((sent - base) / seconds * TARGET_SECONDS)));
        self.offset = sent;
        self.progress(sent);
        var done = xhr.getResponseHeader("Fazhi-Evidence-Url");
        if (done) { self.finish(done); return; }
        return self.loop();
      }
      if (xhr.status === 409) {  // the server holds a different offset: continue from there
        self.offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10) || 0;
        return self.loop();
      }
      if (xhr.status === 423 || xhr.status >= 500) throw new Error("retry");
      localStorage.removeItem(self.key);
      throw new Error(xhr.responseText || ("上传被拒绝（" + xhr.status + "）"));
    }).catch(function (e) {
      if (self.paused) return;
      if (e.message === "network" || e.message === "retry") return self.retry();
      throw e;
    });
  };

  Upload.prototype.retry = function () {
    var self = this, wait = Math.min(30, Math.pow(2, self.retries++));
    self.ui.status("网络中断，" + wait + " 秒后自动续传…");
    return new Promise(function (r) { setTimeout(r, wait * 1000); }).then(function () {
      if (self.paused) return;
      return self.request("HEAD", self.url).then(function (xhr) {
        if (xhr.status === 200) self.offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10) || 0;
        return self.loop();
      }, function () { return self.retry(); });
    });
  };

  Upload.prototype.progress = function (sent) {
    var now = Date.now();
    this.samples.push([now, sent]);
    while (this.samples.length > 2 && now - this.samples[0][0] > 5000) this.samples.shift();
    var first = this.samples[0], speed = (sent - first[1]) / Math.max((now - first[0]) / 1000, 0.001);
    var pct = this.file.size ? Math.floor(sent / this.file.size * 1000) / 10 : 100;
    this.ui.progress(pct, human(sent) + " / " + human(this.file.size) + " · " + pct + "% · " +
      human(Math.max(speed, 0)) + "/s · 剩余约 " + duration((this.file.size - sent) / speed));
  };

  Upload.prototype.finish = function (url) {
    this.done = true;
    localStorage.removeItem(this.key);
    this.ui.progress(100, "上传完成，已计算 SHA-256 并存档");
    this.ui.done(url);
  };

  Upload.prototype.fail = function (e) {
    if (this.paused) return;
    this.ui.error(e && e.message ? e.message : String(e));
  };

  Upload.prototype.pause = function () {
    this.paused = true;
    if (this.xhr) this.xhr.abort();
    this.ui.status("已暂停（已上传 " + human(this.offset) + "）");
  };

  function row(list, file) {
    var li = document.createElement("li");
    li.innerHTML = '<div><strong></strong></div><progress max="100" value="0"></progress><div class="meta" data-meta></div>';
    li.querySelector("strong").textContent = file.name;
    list.appendChild(li);
    var meta = li.querySelector("[data-meta]"), bar = li.querySelector("progress");
    return {
      progress: function (pct, text) { bar.value = pct; meta.textContent = text; li.dataset.percent = pct; },
      status: function (text) { meta.textContent = text; },
      error: function (text) { meta.textContent = "失败：" + text; meta.className = "meta msg error"; li.dataset.state = "error"; },
      done: function (url) {
        li.dataset.state = "done";
        var a = document.createElement("a");
        a.href = url; a.textContent = " 查看证据"; a.dataset.evidenceLink = "";
        li.querySelector("div").appendChild(a);
      }
    };
  }

  function init(form) {
    var input = form.querySelector("input[type=file]"), list = form.querySelector("[data-list]");
    var startBtn = form.querySelector("[data-start]"), pauseBtn = form.querySelector("[data-pause]");
    var errorBox = form.querySelector("[data-error]"), uploads = [];
    form.addEventListener("submit", function (e) { e.preventDefault(); });  // files go through tus, never a form post
    startBtn.addEventListener("click", function () {
      errorBox.hidden = true;
      if (!input.files.length) { errorBox.textContent = "请选择文件。"; errorBox.hidden = false; return; }
      if (!form.elements.stage.value) { errorBox.textContent = "请选择执法环节。"; errorBox.hidden = false; return; }
      var max = parseInt(form.dataset.maxBytes, 10);
      list.innerHTML = ""; uploads = [];
      Array.prototype.forEach.call(input.files, function (file) {
        var ui = row(list, file);
        if (file.size > max) { ui.error("文件超过大小上限（" + human(max) + "）"); return; }
        if (!file.size) { ui.error("文件为空"); return; }
        uploads.push(new Upload(file, form, ui));
      });
      pauseBtn.hidden = false; pauseBtn.textContent = "暂停";
      // One file after another: a rural uplink is better used by one stream than by several.
      uploads.reduce(function (p, u) { return p.then(function () { return u.start(); }); }, Promise.resolve())
        .then(function () {
          if (uploads.length && uploads.every(function (u) { return u.done; })) {
            pauseBtn.hidden = true;
            if (form.dataset.back) location.href = form.dataset.back;
          }
        });
    });
    pauseBtn.addEventListener("click", function () {
      var running = uploads.filter(function (u) { return !u.done; });
      if (pauseBtn.textContent === "暂停") {
        running.forEach(function (u) { u.pause(); });
        pauseBtn.textContent = "继续";
      } else {
        pauseBtn.textContent = "暂停";
        running.reduce(function (p, u) { return p.then(function () { return u.start(); }); }, Promise.resolve());
      }
    });
    window.addEventListener("beforeunload", function (e) {
      if (uploads.some(function (u) { return !u.done && !u.paused && u.url; })) { e.preventDefault(); e.returnValue = ""; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-evidence-uploader]").forEach(init);
  });
  window.FazhiUpload = Upload;
})();
