import { StatusPage } from "./pages/StatusPage";

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <a className="brand" href="/" aria-label="Loss Atlas home">
          <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
            <path d="M2 24 C8 8, 12 8, 16 18 S 24 30, 30 10" fill="none" stroke="currentColor" strokeWidth="2.5" />
            <circle cx="16.5" cy="18.5" r="2.5" fill="currentColor" />
          </svg>
          <span>Loss Atlas</span>
        </a>
        <span className="tagline">Loss landscapes of neural networks</span>
      </header>
      <main className="app-main">
        <StatusPage />
      </main>
      <footer className="app-footer">
        Surfaces follow Li et al., “Visualizing the Loss Landscape of Neural Nets” (NeurIPS 2018).
      </footer>
    </div>
  );
}
