/* Field mode outbox: a submitted form is kept in IndexedDB (files as Blobs) with an idempotency key and
   sent when a connection is there — automatically and with “立即同步”. A refused entry stays with the
   server's Chinese reason until it is corrected and resent, or deleted by the user. */
(function () {
  "use strict";
  const DB = "fazhi-field", STORE = "outbox";

  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, {keyPath: "key"});
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  async function tx(mode, fn) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const result = fn(t.objectStore(STORE));
      t.oncomplete = () => { db.close(); resolve(result && result.result !== undefined ? result.result : result); };
      t.onerror = () => { db.close(); reject(t.error); };
    });
  }
  const all = () => tx("readonly", (s) => s.getAll());
  const put = (entry) => tx("readwrite", (s) => s.put(entry));
  const remove = (key) => tx("readwrite", (s) => s.delete(key));
  const get = (key) => tx("readonly", (s) => s.get(key));

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.from(a, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  const form = document.querySelector("[data-field-form]");
  if (!form) return;
  const list = document.querySelector("[data-outbox-list]");
  const count = document.querySelector("[data-outbox-count]");
  const sent = document.querySelector("[data-sent-list]");
  const net = document.querySelector("[data-net-state]");
  const syncButton = document.querySelector("[data-sync]");
  let editing = null, syncing = false, again = false;
  const versionsEl = document.getElementById("field-versions");
  const versions = versionsEl ? JSON.parse(versionsEl.textContent) : {};
  const versionFields = (form.dataset.versionFields || "").split(",").filter(Boolean);

  function baseVersion(fields) {
    // The version of the server record this entry is based on, as this phone knew it when it was filled in.
    const at = versionFields.map((n) => { const f = fields.find((p) => p[0] === n); return f ? f[1] : ""; }).join("|");
    if (editing) {
      const old = editing.fields.find((f) => f[0] === "base_version");
      if (old && editing.versionAt === at) return {at, version: old[1]};
    }
    return {at, version: versions[at] || "none"};
  }

  function title(fields) {
    const names = (form.dataset.titleFields || "").split(",");
    return names.map((n) => {
      const f = fields.find((p) => p[0] === n);
      if (!f) return "";
      const el = form.elements[n];
      if (el && el.tagName === "SELECT") {
        const opt = Array.from(el.options).find((o) => o.value === f[1]);
        return opt ? opt.textContent : f[1];
      }
      return typeof f[1] === "string" ? f[1].slice(0, 20) : "";
    }).filter(Boolean).join(" · ");
  }

  function showNet() {
    net.textContent = navigator.onLine ? "已联网：待发送的登记会自动发送。" : "当前离线：登记将保存在本机，联网后发送。";
  }

  async function render() {
    const entries = (await all()).filter((e) => e.kind === form.dataset.kind)
      .sort((a, b) => a.created.localeCompare(b.created));
    count.textContent = entries.length;
    list.replaceChildren(...entries.map((e) => {
      const li = document.createElement("li");
      li.dataset.entry = e.key;
      li.dataset.status = e.status;
      const head = document.createElement("div");
      const photos = e.fields.filter((f) => f[2]).length;
      head.textContent = `${e.title || "登记"}${photos ? `（照片${photos}张）` : ""}（${e.created.slice(0, 16).replace("T", " ")}）`;
      const state = document.createElement("div");
      state.className = e.status === "refused" || e.status === "conflict" ? "msg error" : "muted";
      state.dataset.reason = "";
      state.textContent = e.status === "refused" ? `未登记：${e.message}`
        : e.status === "conflict" ? `冲突：${e.message.replace(/^冲突：/, "")}`
        : (e.status === "sending" ? "发送中…" : "待发送");
      li.append(head, state);
      if (e.status === "conflict") {
        // Never overwritten: the user looks at the server's record, then discards this entry.
        if (e.conflictUrl) {
          const open = document.createElement("a");
          open.className = "btn secondary"; open.href = e.conflictUrl; open.textContent = "查看服务器记录";
          li.append(open);
        }
      } else {
        const fix = document.createElement("button");
        fix.type = "button"; fix.className = "btn secondary"; fix.textContent = "修改";
        fix.addEventListener("click", () => load(e));
        li.append(fix);
      }
      const del = document.createElement("button");
      del.type = "button"; del.className = "btn secondary";
      del.textContent = e.status === "conflict" ? "放弃本条" : "删除";
      del.addEventListener("click", async () => {
        if (window.confirm("确认删除这条尚未登记的记录？删除后无法恢复。")) { await remove(e.key); render(); }
      });
      li.append(del);
      return li;
    }));
  }

  function load(entry) {
    // Put a queued entry back into the form; saving it again keeps its key (nothing was created for it).
    form.reset();
    const values = {};
    for (const [name, value] of entry.fields) if (typeof value === "string") (values[name] = values[name] || []).push(value);
    for (const el of form.elements) {
      if (!el.name || !(el.name in values) || el.type === "file") continue;
      if (el.type === "checkbox" || el.type === "radio") el.checked = values[el.name].includes(el.value);
      else el.value = values[el.name][0];
    }
    editing = entry;
    const photos = entry.fields.filter((f) => f[2]).length;
    form.querySelector("[type=submit]").textContent = "保存修改";
    net.textContent = photos ? `正在修改一条待发送登记（已附${photos}张照片，重新选择照片将替换）。` : "正在修改一条待发送登记。";
    form.scrollIntoView();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    data.delete("csrfmiddlewaretoken");
    const fields = [];
    for (const [name, value] of data.entries()) {
      if (value instanceof File) { if (value.size) fields.push([name, value.slice(0, value.size, value.type), value.name]); }
      else fields.push([name, value]);
    }
    let versionAt;
    if (versionFields.length) {
      const base = baseVersion(fields);
      fields.push(["base_version", base.version]);
      versionAt = base.at;
    }
    const entry = editing || {key: newKey(), kind: form.dataset.kind, url: form.action, created: new Date().toISOString()};
    if (editing && !fields.some((f) => f[2])) {
      fields.push(...editing.fields.filter((f) => f[2]));  // keep the photos already queued
    }
    Object.assign(entry, {fields, title: title(fields), status: "pending", message: "", versionAt,
                         rev: (entry.rev || 0) + 1});
    // The form is cleared for the next entry before anything is awaited: a reset after the save would wipe
    // what the cadre already typed into the next one on a slow phone.
    editing = null;
    const keep = {};
    for (const name of (form.dataset.keepFields || "").split(",").filter(Boolean)) {
      if (form.elements[name]) keep[name] = form.elements[name].value;
    }
    form.reset();
    for (const [name, value] of Object.entries(keep)) form.elements[name].value = value;
    form.querySelector("[type=submit]").textContent = "存入待发送";
    try {
      await put(entry);
    } catch (e) {
      load(entry);  // nothing lost: the entry is back in the form
      net.textContent = "未能保存到本机（存储空间不足或浏览器禁止存储），请重试。";
      return;
    }
    await render();
    sync();
  });

  async function freshToken() {
    const r = await fetch(form.dataset.tokenUrl, {credentials: "same-origin", cache: "no-store"});
    if (r.redirected || !r.ok) throw new Error("login");
    return (await r.json()).csrf;
  }

  async function send(entry, csrf) {
    const body = new FormData();
    for (const [name, value, filename] of entry.fields) {
      if (filename) body.append(name, value, filename); else body.append(name, value);
    }
    const r = await fetch(entry.url, {
      method: "POST", body, credentials: "same-origin",
      headers: {"X-CSRFToken": csrf, "X-Idempotency-Key": entry.key, "Accept": "application/json"},
    });
    let payload = null;
    try { payload = await r.json(); } catch (e) { payload = null; }
    if (r.ok && payload && payload.ok) {
      await remove(entry.key);
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = payload.url; a.textContent = `已登记 ${payload.number}`;
      li.append(a, document.createTextNode(` ${entry.title || ""}`));
      sent.append(li);
      return;
    }
    if (r.status === 409 && payload && payload.conflict) {
      const now = await get(entry.key);
      if (!now || (now.rev || 0) !== (entry.rev || 0)) return;
      Object.assign(now, {status: "conflict", message: payload.message, conflictUrl: payload.url || ""});
      await put(now);
      return;
    }
    let message;
    if (payload && payload.message) message = payload.message;
    else if (r.status === 403) message = "您的账号无权办理此项登记，或登录已过期，请重新登录后再同步。";
    else if (r.status === 409) message = "数据正被他人修改，请稍后重试。";
    else if (r.status === 413) message = "照片过大，请删除部分照片后重新保存。";
    else if (r.status >= 500) return;  // server trouble: stays pending, retried later
    else message = `服务器未受理（${r.status}），请修改后重新发送。`;
    const now = await get(entry.key);
    if (!now || (now.rev || 0) !== (entry.rev || 0)) return;  // corrected while this copy was on its way
    Object.assign(now, {status: "refused", message, errors: (payload && payload.errors) || {}});
    await put(now);
  }

  async function sync() {
    // A call during a sync (an entry saved or corrected meanwhile, the timer, the button) runs once more
    // after it: the running sync read the outbox before that entry, which would otherwise wait for the timer.
    if (syncing) { again = true; return; }
    if (!navigator.onLine) { showNet(); return; }
    syncing = true;
    syncButton.disabled = true;
    try {
      const entries = (await all()).filter((e) => e.kind === form.dataset.kind && e.status !== "refused"
        && e.status !== "conflict");
      if (!entries.length) return;
      let csrf;
      try { csrf = await freshToken(); } catch (e) {
        net.textContent = navigator.onLine ? "登录已过期或服务器暂不可达，请重新登录后点“立即同步”。" : "当前离线：登记将保存在本机，联网后发送。";
        return;
      }
      for (const entry of entries) {
        try { await send(entry, csrf); } catch (e) { break; }  // connection dropped: keep the rest queued
      }
    } finally {
      syncing = false;
      syncButton.disabled = false;
      await render();
      if (again) { again = false; sync(); }
    }
  }

  syncButton.addEventListener("click", async () => {
    // “立即同步” also resends refused entries (e.g. after the role or the data was fixed on the server).
    for (const e of await all()) if (e.status === "refused" && e.kind === form.dataset.kind) { e.status = "pending"; await put(e); }
    sync();
  });
  window.addEventListener("online", () => { showNet(); sync(); });
  window.addEventListener("offline", showNet);
  setInterval(sync, 30000);
  showNet();
  render().then(sync);
})();
