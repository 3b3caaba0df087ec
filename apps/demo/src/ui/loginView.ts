// Sign in or register on a homeserver.
import { register, type Session, signIn } from "../session.ts";
import { errorText, h } from "./dom.ts";

export function loginView(
  defaultHomeserver: string,
  onSignedIn: (s: Session) => void,
): HTMLElement {
  const homeserver = h("input", {
    type: "url",
    value: defaultHomeserver,
    required: true,
    "data-testid": "login-homeserver",
    "aria-label": "Homeserver URL",
  });
  const username = h("input", {
    autocomplete: "username",
    required: true,
    "data-testid": "login-username",
    "aria-label": "User name",
  });
  const password = h("input", {
    type: "password",
    autocomplete: "current-password",
    required: true,
    "data-testid": "login-password",
    "aria-label": "Password",
  });
  const status = h("p", { class: "status", "data-testid": "login-status", role: "status" });
  const signInButton = h("button", { type: "submit", "data-testid": "login-submit" }, "Sign in");
  const registerButton = h(
    "button",
    { type: "button", class: "secondary", "data-testid": "register-submit" },
    "Register",
  );

  const run = async (action: typeof signIn) => {
    if (!username.value || !password.value) {
      status.textContent = "Enter a user name and a password.";
      return;
    }
    signInButton.disabled = registerButton.disabled = true;
    status.textContent = action === register ? "Registering ..." : "Signing in ...";
    try {
      onSignedIn(await action(homeserver.value.trim(), username.value.trim(), password.value));
    } catch (e) {
      status.textContent = `Failed: ${errorText(e)}`;
      status.dataset.error = "true";
    } finally {
      signInButton.disabled = registerButton.disabled = false;
    }
  };
  registerButton.addEventListener("click", () => void run(register));

  const form = h(
    "form",
    { class: "card", "data-testid": "login-view" },
    h("h1", {}, "matrix-focus demo"),
    h("p", {}, "Sign in to a Matrix homeserver, or register a new account on it."),
    h("label", {}, "Homeserver", homeserver),
    h("label", {}, "User name", username),
    h("label", {}, "Password", password),
    h("div", { class: "row" }, signInButton, registerButton),
    status,
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void run(signIn);
  });
  return form;
}
