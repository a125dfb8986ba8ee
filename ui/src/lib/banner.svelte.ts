// The error banner: one plain-words message at the top of the window until dismissed.
let message = $state<string | null>(null);

export const banner = {
  get message() {
    return message;
  },
  show(text: string) {
    message = text;
  },
  clear() {
    message = null;
  },
};
