export interface Config {
  aksBaseline?: {
    /**
     * The page that explains the score, linked from "How is this scored?"
     * (for example docs/scoring.md in your copy of the repository, or TechDocs).
     * @visibility frontend
     */
    scoringDocsUrl?: string;
  };
}
