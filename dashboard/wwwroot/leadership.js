// Issue 17, served from this origin (no inline script under the CSP):
// Esc clears the page's cross-filter (presses the button marked data-crossfilter-clear);
// a button marked data-fullscreen asks the browser for full screen (大屏).
document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    var clear = document.querySelector('[data-crossfilter-clear]');
    if (clear) clear.click();
});
document.addEventListener('click', function (e) {
    var target = e.target instanceof Element ? e.target.closest('[data-fullscreen]') : null;
    if (!target) return;
    var root = document.documentElement;
    if (document.fullscreenElement) document.exitFullscreen();
    else if (root.requestFullscreen) root.requestFullscreen();
});
