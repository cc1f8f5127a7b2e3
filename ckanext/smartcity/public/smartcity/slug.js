/* The form's URL preview from a Vietnamese title: "Số ca mắc sốt xuất huyết" gives
   "so-ca-mac-sot-xuat-huyet", as the server's slugs.vi_slug does. CKAN's $.url.slugify maps
   letters one by one and turns every marked letter into a hyphen: marks are dropped first
   (NFD, then the combining marks, which covers stacked marks and the horn of ư and ơ;
   đ does not decompose). Loaded with defer: after CKAN's scripts, before its modules run. */
(function ($) {
  'use strict';
  if (!$ || !$.url || !$.url.slugify) { return; }
  var slugify = $.url.slugify;
  $.url.plain = function (text) {
    return String(text || '').replace(/đ/g, 'd').replace(/Đ/g, 'D')
      .normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  };
  $.url.slugify = function (text, trim) {
    return slugify.call($.url, $.url.plain(text), trim);
  };
}(window.jQuery));
