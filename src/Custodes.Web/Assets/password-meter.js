// A hint while typing a new password (inputs marked data-strength="<id of the output>"). The server's check is the rule: it also
// refuses the 47,000 most common breached passwords, which this script does not carry.
(function () {
  'use strict';
  var common = ['password', 'qwerty', '123456', 'letmein', 'welcome', 'admin', 'iloveyou', 'monkey', 'dragon', 'abc123', 'football', 'baseball', 'sunshine', 'princess', 'trustno1', 'changeme', 'custodes'];
  var words = ['Too weak', 'Weak', 'Fair', 'Good', 'Strong'];

  function score(value, personal) {
    var lower = value.toLowerCase();
    if (value.length < 12) return { score: 0, hint: (12 - value.length) + ' more characters needed (at least 12).' };
    for (var i = 0; i < personal.length; i++)
      if (personal[i].length >= 4 && lower.indexOf(personal[i]) >= 0) return { score: 0, hint: 'Do not use your email or organization name.' };
    var stripped = lower.replace(/^[0-9!@#$%^&*?._+=~ -]+|[0-9!@#$%^&*?._+=~ -]+$/g, '');
    if (common.indexOf(stripped) >= 0 || new Set(lower).size <= 2) return { score: 0, hint: 'This is one of the first passwords an attacker tries.' };
    var classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter(function (r) { return r.test(value); }).length;
    var s = value.length >= 20 ? 3 : value.length >= 16 ? 2 : 1;
    if (classes >= 3 || value.indexOf(' ') >= 0) s++;
    if (new Set(value).size < value.length / 3) s--;
    s = Math.max(1, Math.min(4, s));
    return { score: s, hint: s >= 3 ? 'Long enough to be hard to guess.' : 'Longer is stronger: add another unrelated word.' };
  }

  document.querySelectorAll('input[data-strength]').forEach(function (input) {
    var out = document.getElementById(input.getAttribute('data-strength'));
    if (!out) return;
    var meter = out.querySelector('meter');
    var text = out.querySelector('span');
    function personal() {
      return (input.getAttribute('data-personal') || '').split(' ').concat(
        ['email', 'org'].map(function (id) {
          var f = document.getElementById(id);
          return f ? f.value.toLowerCase().split('@')[0].replace(/[^a-z0-9]/g, '') : '';
        })).filter(function (p) { return p.length >= 4; });
    }
    input.addEventListener('input', function () {
      var r = score(input.value, personal());
      out.hidden = input.value.length === 0;
      if (meter) meter.value = r.score;
      if (text) text.textContent = words[r.score] + ': ' + r.hint;
    });
  });
})();
