// Progressive enhancement for the Shishin console; every page works without it.
/* global document, window, fetch, FormData, URLSearchParams */
(function () {
  'use strict';
  // Feedback buttons: send in the background and say thanks in place (the page gives the words, in the
  // reader's language, as data-thanks and data-failed).
  document.querySelectorAll('form[data-enhance="feedback"]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      var submitter = event.submitter;
      if (!window.fetch || !submitter) return;
      event.preventDefault();
      var data = new URLSearchParams(new FormData(form));
      data.set('rating', submitter.value);
      fetch(form.action, { method: 'POST', body: data, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (response) {
          var message = document.createElement('p');
          message.setAttribute('role', 'status');
          message.textContent = (response.ok ? form.dataset.thanks : form.dataset.failed) || '';
          form.replaceWith(message);
        })
        .catch(function () { form.submit(); });
    });
  });
  // After a failed submit, move focus to the error summary so keyboard and screen-reader users land on it.
  // The browser's own jump to a form's #fragment happens at load and would take focus back, so focus again then.
  var summary = document.getElementById('error-summary');
  if (summary) {
    var focusSummary = function () { summary.focus({ preventScroll: true }); summary.scrollIntoView({ block: 'center' }); };
    focusSummary();
    window.addEventListener('load', function () { window.setTimeout(focusSummary, 0); });
  }
  // Enter sends the question (Shift+Enter adds a line; Enter while composing Japanese text is left alone).
  document.querySelectorAll('textarea[data-submit-on-enter]').forEach(function (box) {
    box.addEventListener('keydown', function (event) {
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
      var form = box.form;
      if (!form || box.value.trim() === '') return;
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  });
  // Say that an answer is being prepared (retrieval and generation can take a few seconds), with the
  // button's data-busy-label.
  var askForm = document.querySelector('.ask-form');
  if (askForm) {
    askForm.addEventListener('submit', function () {
      var button = askForm.querySelector('button');
      if (button) {
        button.disabled = true;
        if (button.dataset.busyLabel) button.textContent = button.dataset.busyLabel;
      }
    });
  }
})();
