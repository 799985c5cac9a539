import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { Link, matchPath, useLocation } from "./router";

afterEach(cleanup);

describe("router", () => {
  it("matches patterns with parameters", () => {
    expect(matchPath("/projects/:id", "/projects/42")).toEqual({ id: "42" });
    expect(matchPath("/share/:token/surfaces/:id", "/share/a%2Fb/surfaces/7")).toEqual({ token: "a/b", id: "7" });
    expect(matchPath("/projects/:id", "/projects/42/new-surface")).toBeNull();
  });

  it("navigates on link clicks without reloading", () => {
    function Where() {
      const { path, query } = useLocation();
      return <p data-testid="where">{path}|{query.get("x")}</p>;
    }
    render(<><Link href="/gallery?x=1">go</Link><Where /></>);
    fireEvent.click(screen.getByText("go"));
    expect(screen.getByTestId("where").textContent).toBe("/gallery|1");
  });
});
