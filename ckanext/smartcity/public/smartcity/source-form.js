/* The harvest source form's configuration (templates/source/new_source_form.html): checked
   as JSON when the form is sent; a mistake is shown under the field, with the parser's
   position, and the form is not sent. The harvester validates it again on the server. */
(function () {
  'use strict';
  function setUp(area) {
    var form = area.form;
    if (!form) { return; }
    var message = document.createElement('span');
    message.className = 'error-block smartcity-config-error';
    message.setAttribute('role', 'alert');
    message.hidden = true;
    area.parentNode.appendChild(message);
    form.addEventListener('submit', function (event) {
      var text = area.value.trim();
      if (!text) { message.hidden = true; return; }
      try {
        JSON.parse(text);
        message.hidden = true;
        area.removeAttribute('aria-invalid');
      } catch (err) {
        event.preventDefault();
        var lang = area.getAttribute('data-lang') === 'en' ? 'en' : 'vi';
        message.textContent = area.getAttribute('data-invalid-' + lang) + ': ' + err.message;
        message.hidden = false;
        area.setAttribute('aria-invalid', 'true');
        area.focus();
      }
    });
  }
  document.querySelectorAll('textarea[data-smartcity-json]').forEach(setUp);
}());
