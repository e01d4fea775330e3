// Injected into a copy of a page the browser tier opens (never into what vpcprove writes): it
// measures the laid-out page and leaves its findings in <pre id="vpcprove-probe"> for --dump-dom.
(function () {
  var problems = [];
  var boxes = document.querySelectorAll('.chain li');
  boxes.forEach(function (li, i) {
    var box = li.getBoundingClientRect();
    if (li.scrollWidth > li.clientWidth + 1) problems.push('box ' + i + ' scrolls: ' + li.textContent);
    li.querySelectorAll('span').forEach(function (span) {
      var r = span.getBoundingClientRect();
      if (r.right > box.right + 1 || r.left < box.left - 1 || r.bottom > box.bottom + 1)
        problems.push('text outside box ' + i + ': ' + span.textContent);
    });
  });
  var anchors = document.querySelectorAll('a[href^="#"]');
  anchors.forEach(function (a) {
    var id = decodeURIComponent(a.getAttribute('href').slice(1));
    if (!document.getElementById(id)) problems.push('anchor without target: ' + a.getAttribute('href'));
  });
  var images = document.querySelectorAll('img');
  images.forEach(function (img) {
    if (!img.complete || img.naturalWidth === 0) problems.push('image did not load: ' + img.getAttribute('src'));
  });
  var out = document.createElement('pre');
  out.id = 'vpcprove-probe';
  out.textContent = 'boxes=' + boxes.length + ' anchors=' + anchors.length + ' images=' + images.length +
                    '\n' + (problems.length ? problems.join('\n') : 'no problems');
  document.body.appendChild(out);
})();
