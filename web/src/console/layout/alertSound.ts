// The sound of an urgent alert (a red case, a sensor's alarm) for the duty officer whose eyes are elsewhere: two short
// tones made with Web Audio (no sound file to fetch), at most one every 5 s. On unless the user turns it off in the
// header; the choice is remembered on this computer. Browsers play sound only after the page has been used (the sign-in
// counts), so an alert on a page nobody has touched stays silent and the pop-up still shows.
import { ref, watch } from 'vue';

const key = 'civicgrid.alertSound';
export const alertSoundOn = ref(localStorage.getItem(key) !== 'off');
watch(alertSoundOn, (on) => localStorage.setItem(key, on ? 'on' : 'off'));

let context: AudioContext | undefined;
let last = 0;

function tone(audio: AudioContext, frequency: number, start: number, length: number) {
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.type = 'sine';
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start(start);
  oscillator.stop(start + length + 0.05);
}

export const alertSound = {
  /** How many times it has sounded on this page (the browser tests read it: a silent tab cannot be heard). */
  played: 0,
  play() {
    if (!alertSoundOn.value || Date.now() - last < 5_000) return;
    last = Date.now();
    try {
      context ??= new AudioContext();
      void context.resume();
      const now = context.currentTime;
      tone(context, 880, now, 0.25);
      tone(context, 660, now + 0.3, 0.35);
      alertSound.played++;
      document.documentElement.dataset.alertSounds = String(alertSound.played);
    } catch {
      // No audio device: the pop-up is the alert.
    }
  },
};
