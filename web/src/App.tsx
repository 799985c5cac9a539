import { type ReactNode, useEffect, useLayoutEffect } from "react";
import { mutate, setShareToken } from "./api/graphql";
import { SHARED_LINK, SIGN_OUT } from "./api/ops";
import { useQuery } from "./api/use-query";
import { SessionProvider, useSession } from "./api/session";
import { ErrorBox, Loading } from "./components/feedback";
import { AccountPage } from "./pages/AccountPage";
import { AuthPage } from "./pages/AuthPage";
import { ComparePage } from "./pages/ComparePage";
import { ExperimentPage } from "./pages/ExperimentPage";
import { GalleryPage } from "./pages/GalleryPage";
import { InvitationsPage } from "./pages/InvitationsPage";
import { NewSurfacePage } from "./pages/NewSurfacePage";
import { ProjectPage } from "./pages/ProjectPage";
import { ProjectsPage } from "./pages/ProjectsPage";
import { StatusPage } from "./pages/StatusPage";
import { LinkGone, SurfacePage } from "./pages/SurfacePage";
import { TrainingRunPage } from "./pages/TrainingRunPage";
import { CurvePage } from "./pages/CurvePage";
import { ModelPage } from "./pages/ModelPage";
import { ForgotPasswordPage, ResetPasswordPage } from "./pages/PasswordResetPages";
import { VerifyEmailPage } from "./pages/VerifyEmailPage";
import { Link, matchPath, navigate, useLocation } from "./router";

export function App() {
  return (
    <SessionProvider>
      <Shell />
    </SessionProvider>
  );
}

function Shell() {
  const { path } = useLocation();
  const shared = path.startsWith("/share/");
  return (
    <div className="app">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="app-header">
        <Link className="brand" href="/" aria-label="Loss Atlas home">
          <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
            <path d="M2 24 C8 8, 12 8, 16 18 S 24 30, 30 10" fill="none" stroke="currentColor" strokeWidth="2.5" />
            <circle cx="16.5" cy="18.5" r="2.5" fill="currentColor" />
          </svg>
          <span>Loss Atlas</span>
        </Link>
        <span className="tagline">Loss landscapes of neural networks</span>
        {shared ? <span className="badge">view-only link</span> : <Nav path={path} />}
      </header>
      <main className="app-main" id="main">
        <Routes path={path} />
      </main>
      <footer className="app-footer">
        Surfaces follow Li et al., “Visualizing the Loss Landscape of Neural Nets” (NeurIPS 2018). <Link href="/status">Service status</Link>
      </footer>
    </div>
  );
}

function Nav({ path }: { path: string }) {
  const { user, setUser } = useSession();
  const signOut = async () => {
    await mutate(SIGN_OUT, {}, "signOut").catch(() => undefined);
    setUser(null);
    navigate("/signin");
  };
  const item = (href: string, label: string) => (
    <Link href={href} aria-current={path === href || path.startsWith(`${href}/`) ? "page" : undefined}>{label}</Link>
  );
  if (user === undefined) return null;
  return (
    <nav className="nav" aria-label="Main">
      {user ? (
        <>
          {item("/projects", "Projects")}
          {item("/gallery", "Gallery")}
          {item("/account", user.name)}
          <button type="button" className="link-button" onClick={() => void signOut()}>Sign out</button>
        </>
      ) : (
        <>
          {item("/gallery", "Gallery")}
          {item("/signin", "Sign in")}
          {item("/signup", "Sign up")}
        </>
      )}
    </nav>
  );
}

function Routes({ path }: { path: string }) {
  const { user } = useSession();
  const { query } = useLocation();
  const next = query.get("next");
  // Only paths of this app, never another origin.
  const safeNext = next && next.startsWith("/") && !next.startsWith("//") ? next : "/projects";
  let m: Record<string, string> | null;
  // Share links work for anyone, signed in or not: the token is the permission.
  if ((m = matchPath("/share/:token/surfaces/:id", path))) return <Shared token={m.token!}><SurfacePage key={m.id} id={m.id!} /></Shared>;
  if ((m = matchPath("/share/:token/compare", path))) return <Shared token={m.token!}><ComparePage /></Shared>;
  if ((m = matchPath("/share/:token", path))) return <Shared token={m.token!}><SharedLinkPage token={m.token!} /></Shared>;
  if (path === "/status") return <StatusPage />;
  // The gallery shows public surfaces to everyone (and more once signed in).
  if (path === "/gallery") return <GalleryPage key={user ? user.id : "signed-out"} />;
  if (user === undefined) return <Loading what="Checking your session" />;
  // A public project's surface opens signed out too; anything else asks to sign in.
  if (!user && (m = matchPath("/surfaces/:id", path))) return <SurfacePage key={m.id} id={m.id!} />;
  if (!user && (m = matchPath("/experiments/:id", path))) return <ExperimentPage key={m.id} id={m.id!} />;
  // A comparison of public surfaces opens signed out; any other says what it is and how to open it.
  if (!user && path === "/compare") return <ComparePage signedOut />;
  // So does a public project's page (a surface's breadcrumb leads there); a private one asks to sign in.
  if (!user && (m = matchPath("/projects/:id", path))) {
    return <ProjectPage key={m.id} id={m.id!} missing={<Redirect to={`/signin?next=${encodeURIComponent(path)}`} />} />;
  }
  if (path === "/signin") return <AuthPage mode="signin" next={safeNext} />;
  if (path === "/signup") return <AuthPage mode="signup" next={safeNext} />;
  // Links from emails open signed in or out.
  if (path === "/forgot-password") return <ForgotPasswordPage />;
  if (path === "/reset-password") return <ResetPasswordPage token={query.get("token") ?? ""} />;
  if (path === "/verify-email") return <VerifyEmailPage token={query.get("token") ?? ""} />;
  if (!user) return <Redirect to={path === "/" ? "/signin" : `/signin?next=${encodeURIComponent(path + window.location.search)}`} />;
  if (path === "/") return <Redirect to="/projects" />;
  if (path === "/projects") return <ProjectsPage />;
  if (path === "/invitations") return <InvitationsPage />;
  if (path === "/account") return <AccountPage />;
  if (path === "/compare") return <ComparePage />;
  if ((m = matchPath("/projects/:id/new-surface", path))) return <NewSurfacePage projectId={m.id!} />;
  if ((m = matchPath("/projects/:id", path))) return <ProjectPage key={m.id} id={m.id!} />;
  if ((m = matchPath("/surfaces/:id", path))) return <SurfacePage key={m.id} id={m.id!} />;
  if ((m = matchPath("/training/:id", path))) return <TrainingRunPage key={m.id} id={m.id!} />;
  if ((m = matchPath("/curves/:id", path))) return <CurvePage key={m.id} id={m.id!} />;
  if ((m = matchPath("/models/:id", path))) return <ModelPage key={m.id} id={m.id!} />;
  if ((m = matchPath("/experiments/:id", path))) return <ExperimentPage key={m.id} id={m.id!} />;
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no page at <code>{path}</code>. <Link href="/projects">Go to your projects</Link>.</p>
    </section>
  );
}

/** Requests made while this is mounted carry the share link's token. */
function Shared({ token, children }: { token: string; children: ReactNode }) {
  // Set during render so the children's first requests already carry it.
  setShareToken(token);
  // A layout effect: its cleanup and setup both run before any child's data-fetching effect, so
  // moving from one shared page to another never sends a request without the token.
  useLayoutEffect(() => {
    setShareToken(token);
    return () => setShareToken(null);
  }, [token]);
  return <>{children}</>;
}

/** What /share/<token> opens: the project read-only, the one surface the link was made for, or its comparison. */
function SharedLinkPage({ token }: { token: string }) {
  const link = useQuery(SHARED_LINK, { token });
  if (link.kind === "loading") return <Loading what="Opening the link" />;
  if (link.kind === "error") return link.code === "NOT_FOUND" ? <LinkGone /> : <ErrorBox message={link.message} code={link.code} onRetry={link.reload} />;
  const target = link.data.sharedLink;
  if (target.kind === "SURFACE") {
    return <Redirect to={`/share/${encodeURIComponent(token)}/surfaces/${target.surfaceId}${target.view ? `?${target.view}` : ""}`} />;
  }
  if (target.kind === "COMPARE") {
    return <Redirect to={`/share/${encodeURIComponent(token)}/compare?ids=${(target.surfaceIds ?? []).join(",")}${target.view ? `&${target.view}` : ""}`} />;
  }
  return <ProjectPage id={target.projectId!} shared={token} />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
