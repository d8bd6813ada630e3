// The accident report's place: fills latitude and longitude from the browser's location, if the
// resident allows it. Optional: without JavaScript the fields are typed (or an address is).
(() => {
  const button = document.getElementById('locate');
  const status = document.getElementById('locate-status');
  if (!button || !status || !('geolocation' in navigator)) return;
  button.parentElement.hidden = false;
  button.addEventListener('click', () => {
    navigator.geolocation.getCurrentPosition(
      (p) => {
        document.getElementById('latitude').value = p.coords.latitude.toFixed(6);
        document.getElementById('longitude').value = p.coords.longitude.toFixed(6);
        status.textContent = '';
      },
      () => {
        status.textContent = button.dataset.failed || '';
      },
      { enableHighAccuracy: true, timeout: 10000 },
    );
  });
})();
