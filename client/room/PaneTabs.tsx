/**
 * The room's views as tabs on a phone (CSS shows the bar at 640 px and narrower): Task (feed,
 * tasks, hints, questions), Code (Run and the editor, with the console) and Output (checks,
 * metrics, plots). Wider screens show the three columns side by side and hide the bar.
 */
export type RoomPane = "task" | "code" | "output";

const PANES: { pane: RoomPane; label: string; controls: string }[] = [
  { pane: "task", label: "Task", controls: "room-task" },
  { pane: "code", label: "Code", controls: "room-code" },
  { pane: "output", label: "Output", controls: "room-output" },
];

export function PaneTabs({ pane, onSelect }: { pane: RoomPane; onSelect(pane: RoomPane): void }) {
  return (
    <nav class="pane-tabs" role="tablist" aria-label="Room views">
      {PANES.map((p) => (
        <button
          key={p.pane}
          type="button"
          role="tab"
          aria-selected={pane === p.pane}
          aria-controls={p.controls}
          onClick={() => onSelect(p.pane)}
        >
          {p.label}
        </button>
      ))}
    </nav>
  );
}
