// Whether the page is shown on a phone or in a narrow window (under 768 px, the console's drawer-menu width), kept up to
// date as the window changes: facts laid out in three columns on a PC go to one column there.
import { ref } from 'vue';

const query = window.matchMedia('(max-width: 767px)');

/** True below 768 px. */
export const narrow = ref(query.matches);
query.addEventListener('change', (e) => { narrow.value = e.matches; });
