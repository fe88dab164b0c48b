// Small progressive enhancements; the pages work without them.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Close an open user menu on Escape or on a click outside it.
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    document.querySelectorAll("details.user-menu[open]").forEach((menu) => menu.removeAttribute("open"));
  }
});
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.user-menu[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});

// Stage changes: a rejection needs its reason, so the reason box is required once Rejected is
// chosen (CSS shows the box only then); the browser then asks for it before anything is sent.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-rejection-reason]");
  const reason = select && document.getElementById(select.dataset.rejectionReason);
  if (reason) reason.required = select.value === "rejected";
});

// Chat: polling asks only for messages newer than the last one shown, and for those deleted
// since the mark the last answer gave (X-Deleted-Since); those come back to swap in place.
document.addEventListener("htmx:configRequest", (event) => {
  const list = event.detail.elt;
  if (list.id === "message-list" && event.detail.verb === "get") {
    const shown = list.querySelectorAll("[data-message-id]");
    event.detail.parameters.after = shown.length ? shown[shown.length - 1].dataset.messageId : 0;
    event.detail.parameters.deleted_since = list.dataset.deletedSince || "";
  }
});
document.addEventListener("htmx:afterRequest", (event) => {
  const list = event.detail.elt;
  const mark = list.id === "message-list" && event.detail.xhr.getResponseHeader("X-Deleted-Since");
  if (mark) list.dataset.deletedSince = mark;
});

// Chat: it opens on the newest message. New messages keep a reader at the bottom there, and
// leave one who scrolled up to read where they are; a message you send always shows.
const CHAT_BOTTOM_SLACK = 48; // px from the bottom that still count as "at the bottom"
const chatAtBottom = (list) => list.scrollHeight - list.scrollTop - list.clientHeight <= CHAT_BOTTOM_SLACK;
const chatToBottom = (list) => { list.scrollTop = list.scrollHeight; };
htmx.onLoad((content) => {
  const list = content.id === "message-list" ? content : content.querySelector?.("#message-list");
  if (list) chatToBottom(list);
});
document.addEventListener("htmx:beforeSwap", (event) => {
  const list = document.getElementById("message-list");
  if (list && event.detail.target === list) {
    list.dataset.stick = event.detail.elt.id === "compose" || chatAtBottom(list) ? "1" : "";
  }
});

// Chat: a message can arrive both by polling and as the answer to sending it; keep one.
document.addEventListener("htmx:afterSettle", (event) => {
  const list = document.getElementById("message-list");
  if (!list || !list.contains(event.detail.elt) && event.detail.elt !== list) return;
  const seen = new Set();
  list.querySelectorAll("[data-message-id]").forEach((item) => {
    if (seen.has(item.id)) item.remove();
    seen.add(item.id);
  });
  if (event.detail.elt === list && list.dataset.stick) chatToBottom(list);
});

// Chat: clear the compose box, and the errors of an earlier try, once a message is sent. (A
// refused message replaces the whole form, so this resets only the detached old one then.)
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  if (form.id !== "compose" || !event.detail.successful) return;
  form.reset();
  form.querySelectorAll(".errorlist").forEach((errors) => errors.remove());
  form.querySelectorAll(".has-error").forEach((field) => field.classList.remove("has-error"));
});

// ---------------------------------------------------------------------------------------------
// Texting (the Messages page of an application): the SMS counter and the pane's scrolling.

// The counter. Characters are Unicode code points, as the server counts them (Python's len, after
// turning the browser's CRLF line ends back into LF), so an emoji is one. Segments count what the
// provider puts in one: 160 GSM-7 septets (the extension characters ^{}\[~]|€ take two) or 70
// UTF-16 code units when anything else is in the text (an emoji takes two); 153 and 67 per part
// of a longer text.
const GSM7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;
const GSM7_EXTENSION = /[\^{}\\[~\]|€]/g;
function textCharacters(text) {
  return Array.from(text).length;
}
function describeText(text, limit) {
  const gsm = GSM7.test(text);
  const units = gsm ? text.length + (text.match(GSM7_EXTENSION) || []).length : text.length;
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  const segments = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi);
  return `${textCharacters(text)} / ${limit} characters · ${segments} SMS segment${segments === 1 ? "" : "s"}${gsm ? "" : " (Unicode)"}`;
}
function updateTextCounter(field) {
  const counter = document.querySelector(`[data-counter-for="${field.id}"]`);
  if (!counter) return;
  const limit = Number(field.dataset.textCounter);
  counter.textContent = describeText(field.value, limit);
  counter.classList.toggle("is-over", textCharacters(field.value) > limit);
}
document.addEventListener("input", (event) => {
  const field = event.target.closest("textarea[data-text-counter]");
  if (field) updateTextCounter(field);
});
// A page that comes back with an error (or a swapped-in form) keeps the text: count it at once.
function countTextsIn(root) {
  root.querySelectorAll("textarea[data-text-counter]").forEach(updateTextCounter);
}
document.addEventListener("DOMContentLoaded", () => countTextsIn(document));
document.addEventListener("htmx:load", (event) => countTextsIn(event.detail.elt));

// The pane opens on the newest message. Polling replaces the list every few seconds: the reader
// keeps their place, and follows what comes in only if they were at the newest message.
const TEXT_LIST = "text-list";
let textListPlace = null;
function atNewest(list) {
  return list.scrollHeight - list.scrollTop - list.clientHeight < 8;
}
document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById(TEXT_LIST);
  if (list) list.scrollTop = list.scrollHeight;
});
document.addEventListener("htmx:beforeSwap", (event) => {
  const list = event.detail.target;
  if (list && list.id === TEXT_LIST) {
    textListPlace = { newest: atNewest(list), top: list.scrollTop };
  }
});
document.addEventListener("htmx:afterSwap", () => {
  const list = document.getElementById(TEXT_LIST);
  if (!list || !textListPlace) return;
  list.scrollTop = textListPlace.newest ? list.scrollHeight : textListPlace.top;
  textListPlace = null;
});

// Phones: the menu button shows the Inbox count of the navigation it opens, also once the count
// has been refreshed in place.
function copyInboxCountToMenu() {
  const toggle = document.querySelector(".nav-toggle[popovertarget]");
  const nav = toggle && document.getElementById(toggle.getAttribute("popovertarget"));
  if (!nav) return;
  const count = nav.querySelector(".count-badge");
  toggle.querySelector(".count-badge")?.remove();
  if (count) toggle.append(Object.assign(count.cloneNode(true), { className: "count-badge" }));
}
document.addEventListener("htmx:afterSettle", copyInboxCountToMenu);

// The menu button says whether its menu is open (toggle does not bubble: listen on the way down).
document.addEventListener(
  "toggle",
  (event) => {
    if (!event.target.matches?.(".nav[popover]")) return;
    const toggle = document.querySelector(`[popovertarget="${event.target.id}"]`);
    toggle?.setAttribute("aria-expanded", String(event.newState === "open"));
  },
  true,
);
document.addEventListener("DOMContentLoaded", () => {
  document.querySelector(".nav-toggle[popovertarget]")?.setAttribute("aria-expanded", "false");
});

// A menu left open on a phone turned to a wide screen closes: there the links show inline.
const WIDE_SCREEN = window.matchMedia("(min-width: 64.0625rem)");
WIDE_SCREEN.addEventListener("change", () => {
  if (WIDE_SCREEN.matches) document.querySelector(".nav:popover-open")?.hidePopover();
});

// ---------------------------------------------------------------------------------------------
// Submitting a candidate: a chosen resume is read at once (candidates.views.submission_prefill)
// for the name, email and phone. Only fields still empty when the answer comes are filled, so
// nothing typed before or during the reading is replaced; an answer for a file no longer chosen
// is dropped. Filled fields stay marked until edited.
const PREFILL_FIELDS = { first_name: "first name", last_name: "last name", email: "email", phone: "phone" };
const PREFILL_FAILED = "The resume could not be read just now; please fill the fields in.";
const inWords = new Intl.ListFormat("en-GB", { type: "conjunction" });

function showPrefillStatus(input, state, text) {
  const status = document.querySelector(`[data-prefill-status-for="${input.id}"]`);
  if (!status) return;
  status.dataset.state = state;
  status.textContent = text;
}

async function readResume(input, file) {
  const body = new FormData();
  body.append("resume", file);
  try {
    const response = await fetch(input.dataset.prefillUrl, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": input.form.elements.csrfmiddlewaretoken.value },
    });
    return await response.json();
  } catch {
    return { error: PREFILL_FAILED }; // offline, or not JSON (signed out: the sign-in page)
  }
}

function fillEmptyFields(form, values) {
  const filled = [];
  for (const [name, label] of Object.entries(PREFILL_FIELDS)) {
    const field = form.elements.namedItem(name);
    if (field && values[name] && !field.value.trim()) {
      field.value = values[name];
      field.classList.add("is-prefilled");
      filled.push(label);
    }
  }
  return filled;
}

function prefillSummary(filled, found) {
  if (filled.length) {
    return `Filled ${inWords.format(filled)} from the resume — please check ${filled.length === 1 ? "it" : "them"}.`;
  }
  return found
    ? "Read the resume; the fields you filled in are kept as they are."
    : "Found no name, email or phone in the resume; please fill them in.";
}

document.addEventListener("change", async (event) => {
  const input = event.target.closest("input[type=file][data-prefill-url]");
  if (!input) return;
  const file = input.files[0];
  if (!file) {
    showPrefillStatus(input, "", "");
    return;
  }
  showPrefillStatus(input, "reading", "Reading the resume…");
  const answer = await readResume(input, file);
  if (input.files[0] !== file) return;
  if (!answer.fields) {
    showPrefillStatus(input, "error", answer.error || PREFILL_FAILED);
    return;
  }
  const filled = fillEmptyFields(input.form, answer.fields);
  showPrefillStatus(input, "done", prefillSummary(filled, Object.keys(answer.fields).length > 0));
});
document.addEventListener("input", (event) => event.target.classList?.remove("is-prefilled"));
