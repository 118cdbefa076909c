// The family plan, filled in on the phone (templates/plan.html). Everything stays in this page:
// nothing is sent (no request carries a value; the inputs have no name and sit in no form), and
// nothing is stored unless the reader presses "Keep on this phone" (localStorage, one key), which
// "Delete from this phone" removes. Phone numbers are checked with phonenumbers' own rules for the
// deployment's region, which the page carries (local_help.number_rules): a number written as
// people dial it at home is accepted exactly when the server would accept it as MAI_HOTLINE, and
// written in E.164 for the message. A number with another country's code needs a country code the
// library knows and E.164's 8 to 15 digits (every country's rules would weigh more than the page).
"use strict";

(function () {
  const root = document.querySelector("[data-plan]");
  if (!root) return;
  const KEY = "mai-plan";
  const view = document.querySelector("[data-plan-view]");
  const viewBody = view.querySelector("[data-plan-view-body]");
  const status = root.querySelector("[data-plan-status]");
  const contactsBox = root.querySelector("[data-sms-contacts]");
  const smsLink = root.querySelector("[data-sms]");
  const fields = Array.from(root.querySelectorAll("[data-field]"));
  const chosen = new Set(); // contacts the emergency message goes to (field ids)

  const byId = (id) => fields.find((field) => field.dataset.field === id);
  const rules = root.dataset;
  const validHere = new RegExp(`^(?:${rules.phoneValid})$`);
  const homePrefix = rules.phonePrefix ? new RegExp(`^(?:${rules.phonePrefix})`) : null;
  const codes = new Set(rules.phoneCodes.split(" "));

  // A number in E.164 (+13125550147), or "" when it cannot be one.
  function e164(value) {
    const written = value.trim();
    if (!/^\+?[\d\s().\-\u00a0]+$/.test(written)) return "";
    let number = written.replace(/\D/g, "");
    if (written.startsWith("+")) {
      // country calling codes are 1 to 3 digits and none begins another
      const code = [1, 2, 3].map((length) => number.slice(0, length)).find((start) => codes.has(start));
      if (!code) return "";
      if (code === rules.phoneCc) return validHere.test(number.slice(code.length)) ? `+${number}` : "";
      return number.length >= 8 && number.length <= 15 ? `+${number}` : "";
    }
    if (!validHere.test(number) && homePrefix) number = number.replace(homePrefix, "");
    return validHere.test(number) ? `+${rules.phoneCc}${number}` : "";
  }
  const isPhone = (value) => e164(value) !== "";
  const isKept = () => { try { return localStorage.getItem(KEY) !== null; } catch (e) { return false; } };

  function values() {
    const data = {};
    fields.forEach((field) => { data[field.dataset.field] = field.value; });
    data["send-to"] = Array.from(chosen);
    return data;
  }

  function keep() {
    try { localStorage.setItem(KEY, JSON.stringify(values())); return true; } catch (e) { return false; }
  }

  function restore() {
    let data = null;
    try { data = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { data = null; }
    if (!data || typeof data !== "object") return;
    fields.forEach((field) => {
      if (typeof data[field.dataset.field] === "string") field.value = data[field.dataset.field];
    });
    (Array.isArray(data["send-to"]) ? data["send-to"] : []).forEach((id) => chosen.add(String(id)));
    status.textContent = status.dataset.kept;
  }

  function checkPhones() {
    root.querySelectorAll("[data-phone]").forEach((input) => {
      const bad = input.value.trim() !== "" && !isPhone(input.value);
      input.setAttribute("aria-invalid", bad ? "true" : "false");
      input.parentElement.querySelector("[data-phone-error]").hidden = !bad;
    });
  }

  // The contacts with a phone number, as checkboxes; the sms: link with the message and numbers.
  function contacts() {
    return Array.from(root.querySelectorAll("[data-phone]")).map((input) => {
      const id = input.dataset.field.replace(/-phone$/, "");
      const item = input.closest("[data-item]");
      return { id, label: item.querySelector("[data-item-label]").textContent.trim(),
               name: (byId(id + "-name") || { value: "" }).value.trim(), phone: input.value.trim() };
    }).filter((contact) => isPhone(contact.phone));
  }

  function drawContacts() {
    const list = contacts();
    contactsBox.replaceChildren(...list.map((contact) => {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = chosen.has(contact.id);
      box.addEventListener("change", () => {
        if (box.checked) chosen.add(contact.id); else chosen.delete(contact.id);
        update();
      });
      // the name and the number each isolated, so a Latin name and a number do not mix with the
      // label's right-to-left words; the number one left-to-right unit, never broken (class "phone")
      const words = document.createElement("span");
      const name = document.createElement("bdi");
      name.textContent = contact.name;
      const number = document.createElement("bdi");
      number.textContent = contact.phone;
      number.dir = "ltr";
      number.className = "phone";
      words.append(`${contact.label}: `, name, " ", number);
      label.append(box, words);
      return label;
    }));
    const numbers = list.filter((contact) => chosen.has(contact.id)).map((contact) => e164(contact.phone));
    const message = (byId("message") || { value: "" }).value;
    smsLink.href = `sms:${numbers.join(",")}` + (message ? `?body=${encodeURIComponent(message)}` : "");
  }

  // The filled plan as it prints: every section, every label and what was written, in order.
  function drawView() {
    const parts = [];
    const title = document.createElement("h2");
    title.textContent = document.querySelector("h1").textContent;
    parts.push(title);
    root.querySelectorAll("fieldset[data-section]").forEach((section) => {
      const heading = document.createElement("h3");
      heading.textContent = section.querySelector("legend").textContent;
      parts.push(heading);
      if (section.dataset.section === "say") {
        section.querySelectorAll("p").forEach((line) => {
          const copy = document.createElement("p");
          copy.textContent = line.textContent;
          if (line.closest("[lang]") !== section.closest("[lang]")) { copy.lang = "en"; copy.dir = "ltr"; }
          parts.push(copy);
        });
        return;
      }
      const list = document.createElement("dl");
      section.querySelectorAll("[data-item]").forEach((item) => list.append(...entry(item)));
      parts.push(list);
    });
    const reviewed = document.createElement("dl");
    reviewed.append(...entry(root.querySelector('[data-item="reviewed"]')));
    parts.push(reviewed);
    viewBody.replaceChildren(...parts);
  }

  function entry(item) {
    const term = document.createElement("dt");
    term.textContent = item.querySelector("[data-item-label]").textContent.trim();
    const value = document.createElement("dd");
    const parts = Array.from(item.querySelectorAll("[data-field]")).filter((field) => field.value.trim())
      .map((field) => {
        // a phone number is one left-to-right unit, never broken across lines (as on the cards)
        const part = document.createElement(field.hasAttribute("data-phone") ? "bdi" : "span");
        part.textContent = field.value.trim();
        if (field.hasAttribute("data-phone")) { part.dir = "ltr"; part.className = "phone"; } else { part.dir = "auto"; }
        return part;
      });
    parts.forEach((part, index) => value.append(...(index ? [" · ", part] : [part])));
    value.dataset.value = item.dataset.item;
    return [term, value];
  }

  function update() {
    checkPhones();
    drawContacts();
    drawView();
    if (isKept()) keep(); // once kept, the kept copy follows the reader's changes
  }

  root.querySelector("[data-plan-print]").addEventListener("click", () => { drawView(); window.print(); });
  root.querySelector("[data-plan-keep]").addEventListener("click", (event) => {
    if (!window.confirm(event.currentTarget.dataset.confirm)) return;
    if (keep()) status.textContent = status.dataset.kept;
  });
  root.querySelector("[data-plan-delete]").addEventListener("click", () => {
    try { localStorage.removeItem(KEY); } catch (e) { /* nothing was kept */ }
    fields.forEach((field) => { field.value = field.defaultValue; });
    chosen.clear();
    update();
    status.textContent = status.dataset.deleted;
  });
  fields.forEach((field) => field.addEventListener("input", update));

  restore();
  root.hidden = false;
  view.hidden = false;
  update();
})();
